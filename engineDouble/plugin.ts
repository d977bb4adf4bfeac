/**
 * A plugin process as the engine runs one (`sdk/go/common/resource/plugin/plugin.go`): `node <script> <args>` in
 * the given working directory and environment; the plugin serves gRPC on 127.0.0.1 and prints its port as the
 * first line on stdout. One home for starting and stopping the provider host and the policy pack.
 */
import { spawn } from "node:child_process";

export interface PluginProcess {
  /** "127.0.0.1:<port>" */
  address: string;
  /** Everything the plugin wrote on stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

export async function startPlugin(
  what: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<PluginProcess> {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += String(d)));
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once("data", (d) => resolve(String(d).trim()));
    child.once("exit", (code) => reject(new Error(`${what} exited with ${code}: ${stderr}`)));
  });
  return {
    address: `127.0.0.1:${port}`,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill();
      await exited;
    },
  };
}
