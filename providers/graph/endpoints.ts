/**
 * Which Microsoft Graph a base URL names — the global service or a national cloud — or whether it names the local
 * emulator. The one place that decides "emulator", explicitly:
 *
 * - one of Microsoft Graph's service roots (below, over https, nothing after the host) is a Microsoft Graph: tokens
 *   come from `@azure/identity` against that cloud's Microsoft Entra authority, for that cloud's `.default` scope;
 * - any other host in a Microsoft domain is refused: it is neither a Graph this project knows nor the emulator, and the
 *   emulator's client credentials must never be sent to it (a typo such as `graph.microsoft.con` is not in a Microsoft
 *   domain and is refused later, when no emulator answers the token request);
 * - everything else (in practice `http://127.0.0.1:<port>`) is the emulator: the client-credentials flow against its
 *   own token endpoint.
 *
 * Service roots, authorities and scopes: "Microsoft Graph national cloud deployments" (learn.microsoft.com/graph/
 * deployments) and "Access national cloud deployments with the Microsoft Graph SDKs" (a scope names the cloud's own
 * Graph domain: `https://graph.microsoft.us/.default`).
 */
import { GraphConfigError } from "./configError";

export interface MicrosoftGraphCloud {
  /** For messages and docs. */
  name: string;
  /** `https://<host>`, the service root (the version follows it). */
  baseUrl: string;
  /** The Microsoft Entra authority that issues tokens for this Graph. */
  authorityHost: string;
  /** The `.default` scope of this Graph: every consented permission of the app, in this cloud's domain. */
  scope: string;
  /**
   * Azure Resource Manager of the same cloud (Azure resource role settings, `providers/arm`): its service root and
   * `.default` scope. The same Entra authority issues its tokens ("Azure China / Azure Government developer
   * guide": management.chinacloudapi.cn, management.usgovcloudapi.net; both US Government Graphs share one ARM).
   */
  arm: { baseUrl: string; scope: string };
}

const cloud = (name: string, host: string, authority: string, armHost: string): MicrosoftGraphCloud => ({
  name,
  baseUrl: `https://${host}`,
  authorityHost: `https://${authority}`,
  scope: `https://${host}/.default`,
  arm: { baseUrl: `https://${armHost}`, scope: `https://${armHost}/.default` },
});

export const MICROSOFT_GRAPH_CLOUDS: readonly MicrosoftGraphCloud[] = [
  cloud(
    "Microsoft Graph global service",
    "graph.microsoft.com",
    "login.microsoftonline.com",
    "management.azure.com",
  ),
  cloud(
    "Microsoft Graph for US Government L4 (GCC High)",
    "graph.microsoft.us",
    "login.microsoftonline.us",
    "management.usgovcloudapi.net",
  ),
  cloud(
    "Microsoft Graph for US Government L5 (DoD)",
    "dod-graph.microsoft.us",
    "login.microsoftonline.us",
    "management.usgovcloudapi.net",
  ),
  cloud(
    "Microsoft Graph China operated by 21Vianet",
    "microsoftgraph.chinacloudapi.cn",
    "login.chinacloudapi.cn",
    "management.chinacloudapi.cn",
  ),
];

export const GLOBAL_GRAPH = MICROSOFT_GRAPH_CLOUDS[0]!;

/** Domains Microsoft operates its cloud endpoints under: a host here is never taken for the emulator. */
const MICROSOFT_DOMAINS = [
  "microsoft.com",
  "microsoft.us",
  "microsoftonline.com",
  "microsoftonline.us",
  "chinacloudapi.cn",
  "windows.net",
  "azure.com",
  "azure.us",
  "azure.cn",
  "microsoft.de",
  "usgovcloudapi.net",
];

export type GraphEndpoint = { kind: "microsoft"; cloud: MicrosoftGraphCloud } | { kind: "emulator" };

const inMicrosoftDomain = (host: string) =>
  MICROSOFT_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`));

/** `baseUrl` without trailing slash and version, as `normalizeBaseUrl` gives it. */
export function graphEndpoint(baseUrl: string): GraphEndpoint {
  const url = new URL(baseUrl);
  const host = url.hostname.toLowerCase();
  const known = MICROSOFT_GRAPH_CLOUDS.find((c) => new URL(c.baseUrl).hostname === host);
  if (known) {
    if (url.protocol !== "https:" || url.port || (url.pathname !== "/" && url.pathname !== "")) {
      throw new GraphConfigError(
        `Graph base URL ${baseUrl}: ${known.name} is reached at ${known.baseUrl} exactly (https, no port, no path)`,
      );
    }
    return { kind: "microsoft", cloud: known };
  }
  if (inMicrosoftDomain(host)) {
    throw new GraphConfigError(
      `Graph base URL ${baseUrl} is in a Microsoft domain but is not a Microsoft Graph service root this project ` +
        `knows (${MICROSOFT_GRAPH_CLOUDS.map((c) => c.baseUrl).join(", ")}); it is not taken for the emulator either`,
    );
  }
  return { kind: "emulator" };
}

/**
 * Which Azure Resource Manager a base URL names, by the same rule as Graph's: one of the clouds' ARM roots (https,
 * nothing after the host) is that cloud's ARM; another host in a Microsoft domain is refused; anything else is the
 * emulator (which serves ARM beside Graph). `graphCloud`: the cloud the Graph base URL names, preferred when two
 * clouds share one ARM (the US Government ones).
 */
export function armEndpoint(baseUrl: string, graphCloud: MicrosoftGraphCloud | null = null): GraphEndpoint {
  const url = new URL(baseUrl);
  const host = url.hostname.toLowerCase();
  const matching = MICROSOFT_GRAPH_CLOUDS.filter((c) => new URL(c.arm.baseUrl).hostname === host);
  const known = matching.find((c) => c === graphCloud) ?? matching[0];
  if (known) {
    if (url.protocol !== "https:" || url.port || (url.pathname !== "/" && url.pathname !== "")) {
      throw new GraphConfigError(
        `ARM base URL ${baseUrl}: Azure Resource Manager of ${known.name} is reached at ${known.arm.baseUrl} exactly (https, no port, no path)`,
      );
    }
    return { kind: "microsoft", cloud: known };
  }
  if (inMicrosoftDomain(host)) {
    throw new GraphConfigError(
      `ARM base URL ${baseUrl} is in a Microsoft domain but is not an Azure Resource Manager root this project ` +
        `knows (${[...new Set(MICROSOFT_GRAPH_CLOUDS.map((c) => c.arm.baseUrl))].join(", ")}); it is not taken for the emulator either`,
    );
  }
  return { kind: "emulator" };
}
