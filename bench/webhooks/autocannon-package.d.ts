/**
 * Types for the npm `autocannon` package (9.x), which ships none. Only what the webhook
 * benchmark uses is described; see node_modules/autocannon/lib/run.js for the real shape.
 */
declare module 'autocannon' {
  interface AutocannonOptions {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    connections?: number;
    duration?: number;
    pipelining?: number;
  }

  interface Histogram {
    readonly average: number;
    readonly p50: number;
    readonly p99: number;
  }

  interface AutocannonResult {
    readonly requests: Histogram;
    readonly latency: Histogram;
    readonly non2xx: number;
    readonly errors: number;
    readonly timeouts: number;
    readonly '2xx': number;
  }

  function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;
  export default autocannon;
}
