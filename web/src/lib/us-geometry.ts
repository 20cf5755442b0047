// Loaded only through a dynamic import (see components/us-map.tsx): the topology and d3-geo are
// ~90 KB and would otherwise land in the initial bundle.
import { geoPath } from "d3-geo";
import { feature, mesh } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import atlas from "us-atlas/states-albers-10m.json";
import { stateByFips } from "../../../domain/states";

export interface StateShape {
  code: string;
  name: string;
  /** SVG path data in the atlas's 975 x 610 Albers USA coordinates. */
  d: string;
}

export interface UsGeometry {
  width: number;
  height: number;
  states: StateShape[];
  /** Interior borders drawn once, so shared edges are not stroked twice. */
  borders: string;
}

/** Builds SVG paths from us-atlas's pre-projected states (Albers USA, Alaska and Hawaii inset). */
export function buildUsGeometry(): UsGeometry {
  const topology = atlas as unknown as Topology<{ states: GeometryCollection<{ name: string }> }>;
  // Pre-projected coordinates: a null projection draws them as they are.
  const path = geoPath();
  const states = feature(topology, topology.objects.states).features.flatMap((f) => {
    const info = stateByFips(String(f.id));
    const d = path(f);
    return info && d ? [{ code: info.code, name: info.name, d }] : [];
  });
  const borders = path(mesh(topology, topology.objects.states, (a, b) => a !== b)) ?? "";
  return { width: 975, height: 610, states, borders };
}
