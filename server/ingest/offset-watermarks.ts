/**
 * The highest offset done per topic and partition, so that a message Kafka delivers again (a
 * retried batch, a redelivery after a broker restart) is recognised. Messages without a partition
 * or offset (simulator, store snapshot) are always new.
 */
export class OffsetWatermarks {
  private readonly through = new Map<string, bigint>();

  isNew(topic: string, partition: number | null, offset: string | null): boolean {
    if (partition === null || offset === null) return true;
    const done = this.through.get(`${topic}/${partition}`);
    return done === undefined || BigInt(offset) > done;
  }

  mark(topic: string, partition: number | null, offset: string | null): void {
    if (partition === null || offset === null) return;
    const key = `${topic}/${partition}`;
    const value = BigInt(offset);
    const done = this.through.get(key);
    if (done === undefined || value > done) this.through.set(key, value);
  }
}
