/** `pim emulator`: the local Microsoft Graph PIM emulator (the offline tenant). Its options live with it. */
import type { Command } from "../types";

export const emulator: Command = {
  name: "emulator",
  summary: "run the local Microsoft Graph PIM emulator (the offline tenant)",
  help: "",
  // Loaded on demand (through the tsx require hook of bin/pim.js): only this command needs the emulator, and
  // the emulator imports nothing of the product. It prints its own usage for --help.
  run: (argv) => require("../../../emulator/cli").runEmulatorCli(argv),
};
