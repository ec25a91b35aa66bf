/** What the Export menu and the presenter's keys do: a view as SVG or PNG, a guest as files. */
import { affinityGrid, affinityMap, vcpuinfoText } from '../../core/emit/affinity.ts';
import { writeLayout } from '../../core/domain-xml/index.ts';
import type { GuestLayout } from '../../core/guest/model.ts';
import type { Host } from '../../core/host/model.ts';
import type { ExportCaption } from './caption.ts';
import { download, fileSafe } from './download.ts';
import { rasterise } from './png.ts';
import { serializeView } from './svg.ts';

export type DrawingFormat = 'svg' | 'png';

/** Saves the drawing inside `root`, captioned when a caption is given; returns what went wrong, or null. */
export async function exportDrawing(root: Element | null, name: string, format: DrawingFormat, scale = 1, caption?: ExportCaption): Promise<string | null> {
  const svg = root ? serializeView(root, name, caption) : null;
  if (!svg) return `There is no ${name} drawing to export.`;
  const base = fileSafe(`numascope-${name}`);
  if (format === 'svg') {
    download(`${base}.svg`, svg.text, 'image/svg+xml');
    return null;
  }
  try {
    download(`${base}@${scale}x.png`, await rasterise(svg, scale));
    return null;
  } catch (err) {
    return `The PNG could not be made: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** The guest's domain XML: the editor's text when there is one, else what the layout writes; why not, when it writes nothing. */
export function exportXml(name: string, layout: GuestLayout, xml?: string): string | undefined {
  if (xml && xml.trim() !== '') {
    download(`${fileSafe(name)}.xml`, xml, 'application/xml');
    return undefined;
  }
  const written = writeLayout(null, layout, { name });
  const refused = written.diagnostics.find((d) => d.severity === 'error');
  if (refused) return `The XML could not be written: ${refused.message}`;
  download(`${fileSafe(name)}.xml`, written.text, 'application/xml');
  return undefined;
}

export function exportAffinity(name: string, host: Host, layout: GuestLayout): void {
  const map = affinityMap(host, layout);
  download(`${fileSafe(name)}-affinity.txt`, `${affinityGrid(map)}\n\n$ virsh vcpuinfo ${name}\n${vcpuinfoText(map, host)}`);
}
