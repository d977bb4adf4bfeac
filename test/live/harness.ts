// A Graph client of the product (providers/graph) against a running emulator, as one of its apps.
import { clientCredentialsTokenProvider, createGraphClient, type GraphApi } from "../../providers/graph";
import { createArmClient, type ArmApi } from "../../providers/arm";
import type { RunningEmulator } from "../../emulator";

export function emulatorGraph(
  emu: RunningEmulator,
  app?: string,
  opts: { maxRetries?: number } = {},
): GraphApi {
  const c = emu.clientCredentials(app);
  return createGraphClient({
    baseUrl: emu.baseUrl,
    tokenProvider: clientCredentialsTokenProvider({
      tokenUrl: `${emu.baseUrl}/${c.tenantId}/oauth2/v2.0/token`,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
    }),
    baseDelayMs: 1,
    maxDelayMs: 5,
    ...opts,
  });
}

/** An ARM client of the product (providers/arm) against the emulator's ARM routes, as one of its apps. */
export function emulatorArm(emu: RunningEmulator, app?: string): ArmApi {
  const c = emu.clientCredentials(app);
  return createArmClient({
    baseUrl: emu.baseUrl,
    tokenProvider: clientCredentialsTokenProvider({
      tokenUrl: `${emu.baseUrl}/${c.tenantId}/oauth2/v2.0/token`,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      scope: "https://management.azure.com/.default",
    }),
    baseDelayMs: 1,
    maxDelayMs: 5,
  });
}
