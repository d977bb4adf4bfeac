// Test helpers: start an emulator and build the official Graph client against it.
// The SDK's AuthenticationHandler only adds the Authorization header for https Graph hosts, so the
// chain here is [bearer → HTTPMessageHandler] with a tiny bearer middleware of our own.
import {
  Client,
  HTTPMessageHandler,
  GraphError,
  type Context,
  type Middleware,
} from "@microsoft/microsoft-graph-client";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator";

export const TENANT = "7c3e9a52-1d4f-4b8e-9a6c-2f5d8e1b0c47";
export const GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";
export const PRIVILEGED_ROLE_ADMIN = "e8611ab8-c189-46e8-94e1-60213ab1f814";
export const USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1";
export const EXCHANGE_ADMIN = "29232cdf-9323-42fd-ade2-1d097af3e4de";
export const TEAMS_ADMIN = "69091246-20e8-4a56-aa4d-066075b2a7a8";
export const SECURITY_ADMIN = "194ae4cb-b126-40b2-bd5b-6091b380977d";
export const HELPDESK_ADMIN = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
export const APPLICATION_ADMIN = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";
/** A fixed instant so that every test sees the same tenant. */
export const NOW = new Date("2026-09-01T09:00:00Z");

/** Adds `Authorization: Bearer …` and repairs absolute http:// URLs (the SDK only recognises https:// ones). */
export class BearerMiddleware implements Middleware {
  private next: Middleware | undefined;
  constructor(private readonly token: () => Promise<string>) {}

  async execute(context: Context): Promise<void> {
    if (typeof context.request === "string") {
      // GraphRequest treats "http://host/v1.0/x" (a nextLink) as a relative path and prefixes the base URL.
      const i = context.request.lastIndexOf("http://");
      if (i > 0) context.request = context.request.slice(i);
    }
    const options = (context.options ??= {});
    const value = `Bearer ${await this.token()}`;
    const h = options.headers;
    if (h instanceof Headers) h.set("Authorization", value);
    else options.headers = { ...((h as Record<string, string> | undefined) ?? {}), Authorization: value };
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

export function graphClient(emu: RunningEmulator, token: () => Promise<string>): Client {
  return Client.initWithMiddleware({
    baseUrl: `${emu.baseUrl}/`,
    defaultVersion: "v1.0",
    middleware: [new BearerMiddleware(token), new HTTPMessageHandler()] as unknown as Middleware,
  });
}

/** Client-credentials token from the emulator's token endpoint (over HTTP, like the product does). */
export async function appToken(
  emu: RunningEmulator,
  appName?: string,
  scope = "https://graph.microsoft.com/.default",
): Promise<string> {
  const c = emu.clientCredentials(appName);
  const res = await fetch(`${emu.baseUrl}/${c.tenantId}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: c.clientId,
      client_secret: c.clientSecret,
      scope,
    }),
  });
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export interface Harness {
  emu: RunningEmulator;
  /** Client as the deployer app. */
  app: Client;
  /** Client as the read-only app. */
  reader: Client;
  /** Client as a signed-in user. */
  user(upn: string, opts?: { mfa?: boolean; authContexts?: string[] }): Client;
  userId(upn: string): string;
  groupId(name: string): string;
}

export async function startHarness(opts: EmulatorOptions = {}): Promise<Harness> {
  const emu = await startEmulator({ port: 0, now: NOW, ...opts });
  const deployer = await appToken(emu, "pim-as-code-deployer");
  const reader = await appToken(emu, "pim-reader");
  return {
    emu,
    app: graphClient(emu, async () => deployer),
    reader: graphClient(emu, async () => reader),
    user: (upn, o) => graphClient(emu, () => emu.userToken(upn, o)),
    userId: (upn) => {
      const u = emu.state.findUser(upn);
      if (!u) throw new Error(`no user ${upn}`);
      return u.id;
    },
    groupId: (name) => {
      const g = [...emu.state.groups.values()].find((x) => x.displayName === name);
      if (!g) throw new Error(`no group ${name}`);
      return g.id;
    },
  };
}

/** Run a Graph call that must fail; return the SDK's GraphError for assertions. */
export async function graphError(p: Promise<unknown>): Promise<GraphError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof GraphError) return e;
    throw e;
  }
  throw new Error("expected the Graph call to fail, but it succeeded");
}

/** Raw HTTP for cases the SDK hides (headers, non-JSON bodies, malformed input). */
export async function raw(
  emu: RunningEmulator,
  method: string,
  path: string,
  opts: { token?: string; body?: string; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${emu.baseUrl}${path}`, {
    method,
    headers: {
      ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...(opts.headers ?? {}),
    },
    body: opts.body,
  });
  const text = await res.text();
  let json: any = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, text, json };
}

export function filterPath(base: string, filter: string, extra = ""): string {
  return `${base}?$filter=${encodeURIComponent(filter)}${extra}`;
}

export const DIR = "/roleManagement/directory";
export const PIMG = "/identityGovernance/privilegedAccess/group";

export function inHours(h: number, from: Date = NOW): string {
  return new Date(from.getTime() + h * 3_600_000).toISOString();
}

/** Run `fn` with process.stdout or process.stderr captured; returns its result and what it wrote. */
export async function captured<T>(
  stream: "stdout" | "stderr",
  fn: () => Promise<T>,
): Promise<{ result: T; text: string }> {
  const chunks: string[] = [];
  const target = process[stream] as unknown as { write: (s: string) => boolean };
  const orig = target.write;
  target.write = (s: string) => {
    chunks.push(String(s));
    return true;
  };
  try {
    const result = await fn();
    return { result, text: chunks.join("") };
  } finally {
    target.write = orig;
  }
}
