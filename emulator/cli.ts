// `pim emulator [--port N] [--seed FILE] [--no-auth] [--state FILE] [--page-size N]`.
// Prints exactly `listening on http://127.0.0.1:<port>` and serves until SIGINT/SIGTERM.
import { startEmulator } from "./index";

/** The port the demo stack's config points at (stacks/Pulumi.demo.yaml, pim:graphBaseUrl). */
const DEFAULT_PORT = 8787;

const USAGE = `usage: pim emulator [options]

Start the local Microsoft Graph PIM emulator on 127.0.0.1.

options:
  --port N         port to listen on (default 8787, which stacks/Pulumi.demo.yaml uses; 0 = any free port)
  --seed FILE      seed file, JSON or YAML (default emulator/seeds/demo.yaml)
  --no-auth        do not check tokens or permissions (manual exploration)
  --state FILE     keep state in FILE between runs
  --page-size N    page size for collections without $top (default 100)
  --help           show this help
`;

function usageError(msg: string): number {
  process.stderr.write(`pim emulator: ${msg}\n\n${USAGE}`);
  return 2;
}

export async function runEmulatorCli(argv: string[]): Promise<number> {
  const opts: { port?: number; seed?: string; auth?: boolean; statePath?: string; pageSize?: number } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] =
      a.startsWith("--") && a.includes("=")
        ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
        : [a, undefined];
    const value = (): string | null => {
      if (inline !== undefined) return inline;
      const v = argv[i + 1];
      if (v === undefined || v.startsWith("--")) return null;
      i++;
      return v;
    };
    switch (flag) {
      case "--help":
      case "-h":
        process.stdout.write(USAGE);
        return 0;
      case "--port": {
        const v = value();
        if (v === null || !/^\d+$/.test(v) || Number(v) > 65535)
          return usageError("--port needs a number between 0 and 65535");
        opts.port = Number(v);
        break;
      }
      case "--page-size": {
        const v = value();
        if (v === null || !/^\d+$/.test(v) || Number(v) < 1)
          return usageError("--page-size needs a positive number");
        opts.pageSize = Number(v);
        break;
      }
      case "--seed": {
        const v = value();
        if (v === null) return usageError("--seed needs a file");
        opts.seed = v;
        break;
      }
      case "--state": {
        const v = value();
        if (v === null) return usageError("--state needs a file");
        opts.statePath = v;
        break;
      }
      case "--no-auth":
        opts.auth = false;
        break;
      default:
        return usageError(`unknown argument '${a}'`);
    }
  }
  let emu;
  const port = opts.port ?? DEFAULT_PORT;
  try {
    emu = await startEmulator({ ...opts, port });
  } catch (e) {
    const inUse = (e as NodeJS.ErrnoException).code === "EADDRINUSE";
    process.stderr.write(
      inUse
        ? `pim emulator: port ${port} is in use (another emulator?): pass --port N, or --port 0 for any free port\n`
        : `pim emulator: ${(e as Error).message}\n`,
    );
    return 1;
  }
  process.stdout.write(`listening on ${emu.baseUrl}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await emu.stop();
  return 0;
}
