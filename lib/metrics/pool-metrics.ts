import type pg from "pg";
import { Gauge, type Registry } from "prom-client";

/** The database pool's connections, read when scraped. `pool` is asked then, so registering opens no connection. */
export function registerPoolMetrics(registry: Registry, pool: () => pg.Pool): void {
  const gauge = (name: string, help: string, read: (p: pg.Pool) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(pool()));
      },
    });
  gauge("portcullis_db_pool_connections", "Connections the database pool holds (busy and idle).", (p) => p.totalCount);
  gauge("portcullis_db_pool_idle_connections", "Connections idle in the database pool.", (p) => p.idleCount);
  gauge("portcullis_db_pool_waiting_requests", "Queries waiting for a connection from the database pool.", (p) => p.waitingCount);
}
