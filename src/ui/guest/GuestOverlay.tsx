/**
 * Guests over the host view: 1:1-pinned PUs carry their cell's colour and vCPU number, floating
 * vCPUs tint the nodes they may run on (with one chip each), and each node's memory box gets a
 * bar showing every guest cell's share of it.
 */
import { memo } from 'react';
import type { AffinityMap } from '../../core/emit/affinity.ts';
import type { Host } from '../../core/host/model.ts';
import type { HostLayout } from '../host/layout.ts';
import type { GuestColours } from './colours.ts';

interface Props {
  layout: HostLayout;
  host: Host;
  maps: readonly AffinityMap[];
  colours: GuestColours;
}

const CHIP_W = 24;
const CHIP_H = 13;
const BAR_H = 5;

export const GuestOverlay = memo(function GuestOverlay({ layout, host, maps, colours }: Props) {
  if (maps.length === 0) return null;
  const tints: React.ReactNode[] = [];
  const pins: React.ReactNode[] = [];
  const chips: React.ReactNode[] = [];
  const bars: React.ReactNode[] = [];
  const chipsOnNode = new Map<number, number>();
  const barOffset = new Map<number, number>();

  maps.forEach((map, g) => {
    const tinted = new Set<string>();
    for (const row of map.rows) {
      const sw = colours(g, row.cell);
      const key = `vcpu:${g}:${row.vcpu}`;
      if (row.pinning === '1:1' && row.current !== null) {
        const pu = layout.byId.get(`PU_${row.current}`);
        if (!pu) continue;
        pins.push(
          <g key={key} className="vcpu pinned" data-hover={key} data-vcpu={row.vcpu} data-cell={row.cell ?? ''} id={`vCPU_${g}_${row.vcpu}`} role="img" aria-label={`vCPU ${row.vcpu} on CPU ${row.current}`}>
            <rect x={pu.x + 2} y={pu.y + 2} width={pu.w - 4} height={pu.h - 4} rx={3} fill={sw.fill} />
            <text x={pu.x + pu.w / 2} y={pu.y + pu.h / 2 + 4} style={{ fill: sw.text }} className="vcpu-text">{`v${row.vcpu}`}</text>
          </g>,
        );
        continue;
      }
      if (row.pinning !== 'floating') continue;
      for (const node of row.cpuNodes) {
        const box = layout.byId.get(`NUMANode_${node}`);
        const mem = layout.byId.get(`Memory_${node}`);
        if (!box || !mem) continue;
        const tintKey = `${node}:${row.cell}`;
        if (!tinted.has(tintKey)) {
          tinted.add(tintKey);
          tints.push(<rect key={`tint:${g}:${tintKey}`} className="float-tint" x={box.x} y={box.y} width={box.w} height={box.h} rx={4} fill={sw.fill} stroke={sw.fill} />);
        }
        const n = chipsOnNode.get(node) ?? 0;
        chipsOnNode.set(node, n + 1);
        const perLine = Math.max(1, Math.floor((mem.w / 2) / (CHIP_W + 2)));
        if (n >= perLine * 2) continue;
        const cx = mem.x + mem.w - (CHIP_W + 2) * ((n % perLine) + 1) - 2;
        const cy = mem.y + 3 + Math.floor(n / perLine) * (CHIP_H + 2);
        chips.push(
          <g key={`${key}:${node}`} className="vcpu floating" data-hover={key} data-vcpu={row.vcpu} id={`vCPU_${g}_${row.vcpu}_on_${node}`} role="img" aria-label={`vCPU ${row.vcpu} floats on node ${node}`}>
            <rect x={cx} y={cy} width={CHIP_W} height={CHIP_H} rx={3} fill={sw.fill} />
            <text x={cx + CHIP_W / 2} y={cy + 10} style={{ fill: sw.text }} className="vcpu-text small">{`v${row.vcpu}`}</text>
          </g>,
        );
      }
    }
    for (const share of map.memory) {
      const mem = layout.byId.get(`Memory_${share.node}`);
      const total = host.nodes.find((n) => n.id === share.node)?.memoryKiB;
      if (!mem || !total) continue;
      const span = mem.w - 4;
      const from = barOffset.get(share.node) ?? 0;
      const width = Math.min(span - from, (share.kib / total) * span);
      barOffset.set(share.node, from + width);
      const sw = colours(g, share.cell);
      bars.push(
        <rect key={`bar:${g}:${share.cell}:${share.node}`} className="mem-bar" data-testid={`mem-bar-${g}-${share.cell}-${share.node}`} x={mem.x + 2 + from} y={mem.y + mem.h - BAR_H - 1} width={Math.max(1, width)} height={BAR_H} fill={sw.fill}>
          <title>{`guest ${g + 1} cell ${share.cell}: ${Math.round(share.kib / 1024)} MiB on node ${share.node}`}</title>
        </rect>,
      );
    }
  });

  for (const [node, n] of chipsOnNode) {
    const mem = layout.byId.get(`Memory_${node}`);
    const perLine = mem ? Math.max(1, Math.floor((mem.w / 2) / (CHIP_W + 2))) : 0;
    if (mem && n > perLine * 2) {
      chips.push(
        <text key={`more:${node}`} x={mem.x + mem.w / 2 - 4} y={mem.y + 30} className="label small" textAnchor="end">{`+${n - perLine * 2} floating vCPUs`}</text>,
      );
    }
  }

  return (
    <g className="guests">
      <g className="tints">{tints}</g>
      <g className="bars">{bars}</g>
      <g className="pins">{pins}</g>
      <g className="chips">{chips}</g>
    </g>
  );
});
