// Public API of the emulator: start it (port 0 for tests), get its URLs and controls, stop it.
// Other engineers code against exactly these types; keep them stable.
import { existsSync } from "node:fs";
import { defaultSeedPath } from "./catalog";
import type { FaultSpec } from "./faults";
import { readSeedFile, type EmulatorSeed } from "./seed";
import { EmulatorServer } from "./server";
import type { EmulatorState } from "./state";

export type { FaultSpec, FaultKind } from "./faults";
export type { EmulatorSeed } from "./seed";
export { SeedSchema, SeedError } from "./seed";
export type { EmulatorState } from "./state";
export { PERMISSIONS } from "./auth";
export { defaultSeedPath };

/** The catalog holds five Azure built-in roles: two per page makes three pages. */
export const DEFAULT_ARM_PAGE_SIZE = 2;

export interface EmulatorOptions {
  /** 0 = any free port (default 0). */
  port?: number;
  /** A seed file path (JSON or YAML) or a seed object. Default: emulator/seeds/demo.yaml. */
  seed?: string | EmulatorSeed;
  /** Check tokens and permissions (default true). */
  auth?: boolean;
  /** Page size for collections without $top (default 100). */
  pageSize?: number;
  /**
   * Page size of the ARM lists (default 2): small enough that one subscription's built-in roles need more than
   * one page, so clients must follow `nextLink`.
   */
  armPageSize?: number;
  /** Freeze the clock at this instant (moves only via clock.set/advance). Default: host time, flowing. */
  now?: Date;
  /** Keep state in this JSON file between runs (loaded at start if present, written after changes). */
  statePath?: string;
}

export interface RunningEmulator {
  /**
   * "http://127.0.0.1:<port>"; Graph at `${baseUrl}/v1.0`, ARM at `${baseUrl}/subscriptions/…`, token at
   * `${baseUrl}/<tenantId>/oauth2/v2.0/token`.
   */
  baseUrl: string;
  tenantId: string;
  /** Moving the clock ends schedules and purges requests older than 45 days. */
  clock: { now(): Date; set(d: Date): void; advance(ms: number): void };
  faults: { add(f: FaultSpec): string; clear(): void };
  log: { entries(): Array<{ method: string; path: string; status: number; ms: number }>; clear(): void };
  counters(): { requests: number; reads: number; writes: number; byRoute: Record<string, number> };
  /** Direct access for tests (simulate a portal edit, add a schedule). */
  state: EmulatorState;
  clientCredentials(appName?: string): { tenantId: string; clientId: string; clientSecret: string };
  userToken(
    upn: string,
    opts?: {
      mfa?: boolean;
      authContexts?: string[];
      scopes?: string[];
      notBefore?: Date;
      /** "arm": a token for Azure Resource Manager (aud https://management.azure.com/). Default "graph". */
      audience?: "graph" | "arm";
    },
  ): Promise<string>;
  stop(): Promise<void>;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const seedInput = opts.seed ?? defaultSeedPath();
  if (typeof seedInput === "string" && !existsSync(seedInput))
    throw new Error(`emulator: seed file not found: ${seedInput}`);
  const seed = typeof seedInput === "string" ? readSeedFile(seedInput) : seedInput;
  const pageSize = opts.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1)
    throw new Error("emulator: pageSize must be a positive integer");
  const armPageSize = opts.armPageSize ?? DEFAULT_ARM_PAGE_SIZE;
  if (!Number.isInteger(armPageSize) || armPageSize < 1)
    throw new Error("emulator: armPageSize must be a positive integer");
  const server = new EmulatorServer({
    port: opts.port ?? 0,
    seed,
    auth: opts.auth ?? true,
    pageSize,
    armPageSize,
    now: opts.now,
    statePath: opts.statePath,
  });
  const baseUrl = await server.listen();
  return {
    baseUrl,
    get tenantId() {
      return server.state.tenant.id;
    },
    clock: {
      now: () => server.clock.now(),
      set: (d) => server.clock.set(d),
      advance: (ms) => server.clock.advance(ms),
    },
    faults: { add: (f) => server.faults.add(f), clear: () => server.faults.clear() },
    log: { entries: () => server.log(), clear: () => server.clearLog() },
    counters: () => server.counters(),
    get state() {
      return server.state;
    },
    clientCredentials: (appName) => server.clientCredentials(appName),
    userToken: async (upn, o) => server.userToken(upn, o),
    stop: () => server.stop(),
  };
}
