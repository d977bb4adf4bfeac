/** The rest of a collection a `$batch` answered with its first page: further pages are read directly. */
import type { GraphApi } from "../index";

export async function everyPage<T>(
  g: GraphApi,
  page: { value?: T[]; "@odata.nextLink"?: string },
): Promise<T[]> {
  const next = page?.["@odata.nextLink"];
  return [...(page?.value ?? []), ...(next ? await g.listAll<T>(next) : [])];
}
