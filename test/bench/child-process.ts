/** Forks a TypeScript helper of the benchmark as its own Node process with an IPC channel. */
import { fork, type ChildProcess } from 'node:child_process';

export interface Forked<Message, Command> {
  child: ChildProcess;
  pid: number;
  send(command: Command): void;
  /** Resolves with the first message that `match` accepts; rejects if the child fails or exits. */
  next<T extends Message>(match: (message: Message) => message is T, timeoutMs: number): Promise<T>;
  onMessage(listener: (message: Message) => void): void;
  exited: Promise<number | null>;
  kill(): void;
}

export function forkHelper<Message extends { type: string }, Command>(
  modulePath: string,
): Forked<Message, Command> {
  const child = fork(modulePath, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return {
    child,
    pid: child.pid!,
    send: (command) => child.send(command as object),
    onMessage: (listener) => child.on('message', (m) => listener(m as Message)),
    next: <T extends Message>(match: (message: Message) => message is T, timeoutMs: number) =>
      new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${modulePath}: no answer in ${timeoutMs} ms`));
        }, timeoutMs);
        const onMessage = (raw: unknown) => {
          const message = raw as Message;
          if (message.type === 'error') {
            cleanup();
            reject(new Error(`${modulePath}: ${(message as { message?: string }).message}`));
          } else if (match(message)) {
            cleanup();
            resolve(message);
          }
        };
        const onExit = (code: number | null) => {
          cleanup();
          reject(new Error(`${modulePath} exited with ${code}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          child.off('message', onMessage);
          child.off('exit', onExit);
        };
        child.on('message', onMessage);
        child.once('exit', onExit);
      }),
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}
