/** Sends a domain refusal as the relay's error shape, `{error:{code,message}}` (DESIGN §6). */
import type { FastifyReply } from 'fastify';
import type { ApiError } from '../../shared/errors';

export function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply.code(error.status).send({ error: { code: error.code, message: error.message } });
}
