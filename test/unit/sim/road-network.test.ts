import { describe, expect, it } from 'vitest';
import type { MultiPolygon } from 'geojson';
import { haversineM } from '../../../server/sim/geo';
import {
  buildRoadNetwork,
  loadRoadNetwork,
  type DongCollection,
  type RoadNetwork,
} from '../../../server/sim/road-network';

const network = loadRoadNetwork();

/** Busan's extent, a little generous; nothing simulated may leave it. */
const BUSAN_BBOX = { minLon: 128.7, minLat: 34.9, maxLon: 129.35, maxLat: 35.45 };

function componentReach(net: RoadNetwork, start: number): Set<number> {
  const seen = new Set([start]);
  const stack = [start];
  while (stack.length > 0) {
    for (const { to } of net.adjacency[stack.pop()!]!) {
      if (!seen.has(to)) {
        seen.add(to);
        stack.push(to);
      }
    }
  }
  return seen;
}

describe('road network of Busan', () => {
  it('has a hub in every neighbourhood and a crossing on shared borders', () => {
    expect(network.dongs).toHaveLength(206);
    const hubs = network.nodes.filter((n) => n.kind === 'dong');
    expect(hubs.length).toBe(206);
    expect(new Set(hubs.map((n) => n.dongCode)).size).toBe(206);
    const crossings = network.nodes.filter((n) => n.kind === 'border');
    expect(crossings.length).toBeGreaterThan(400);
    for (const c of crossings) {
      expect(c.neighbourDongCode).not.toBeNull();
      expect(c.neighbourDongCode).not.toBe(c.dongCode);
    }
    expect(network.edges.length).toBeGreaterThan(800);
  });

  it('puts every hub inside its own neighbourhood', () => {
    for (const node of network.nodes.filter((n) => n.kind === 'dong')) {
      expect(network.dongAt(node.lon, node.lat)?.code).toBe(node.dongCode);
    }
  });

  it('keeps every link on land, checked every 2 m', () => {
    let samples = 0;
    for (const edge of network.edges) {
      const a = network.nodes[edge.a]!;
      const b = network.nodes[edge.b]!;
      const steps = Math.ceil(edge.lengthM / 2);
      for (let k = 0; k <= steps; k++) {
        const t = k / steps;
        const lon = a.lon + (b.lon - a.lon) * t;
        const lat = a.lat + (b.lat - a.lat) * t;
        samples++;
        if (!network.isOnLand(lon, lat)) {
          throw new Error(`edge ${edge.id} leaves land at ${lon},${lat}`);
        }
      }
    }
    expect(samples).toBeGreaterThan(100_000);
  });

  it('has symmetric adjacency with lengths in metres', () => {
    for (const edge of network.edges) {
      const a = network.nodes[edge.a]!;
      const b = network.nodes[edge.b]!;
      expect(edge.lengthM).toBeCloseTo(haversineM(a.lon, a.lat, b.lon, b.lat), 6);
      expect(edge.lengthM).toBeGreaterThan(10);
      expect(network.adjacency[edge.a]!.some((x) => x.to === edge.b && x.edge === edge.id)).toBe(
        true,
      );
      expect(network.adjacency[edge.b]!.some((x) => x.to === edge.a && x.edge === edge.id)).toBe(
        true,
      );
    }
    // Nothing isolated is kept: every node can be driven to.
    for (const list of network.adjacency) expect(list.length).toBeGreaterThan(0);
  });

  it('splits into connected components, the mainland first and Yeongdo on its own', () => {
    const [mainland, ...others] = network.components;
    expect(mainland).toBeDefined();
    expect(mainland!.dongCodes.length).toBeGreaterThan(180);
    for (const node of network.nodes) {
      expect(node.component).toBeGreaterThanOrEqual(0);
      expect(node.component).toBeLessThan(network.components.length);
    }
    for (const component of network.components) {
      const members = network.nodes.filter((n) => n.component === component.id);
      expect(members).toHaveLength(component.nodeCount);
      // One walk from any member reaches exactly the component.
      expect(componentReach(network, members[0]!.id).size).toBe(component.nodeCount);
    }
    const yeongdo = network.nodes.find((n) => n.kind === 'dong' && n.dongCode === '2104065');
    expect(yeongdo).toBeDefined();
    expect(yeongdo!.component).not.toBe(0);
    expect(others.length).toBeGreaterThanOrEqual(1);
    const total = network.components.reduce((s, c) => s + c.lengthM, 0);
    expect(total).toBeCloseTo(network.totalLengthM, 3);
  });

  it('answers isOnLand and dongAt for known places', () => {
    // Busan City Hall is in Yeonsan 5-dong, Yeonje-gu.
    expect(network.isOnLand(129.0756, 35.1798)).toBe(true);
    expect(network.dongAt(129.0756, 35.1798)).toMatchObject({
      code: '2113059',
      name: '연산5동',
      districtCode: '21130',
    });
    // Open sea south-east of Haeundae, and a point far outside Busan.
    expect(network.isOnLand(129.2, 35.05)).toBe(false);
    expect(network.dongAt(129.2, 35.05)).toBeNull();
    expect(network.isOnLand(127.0, 37.5)).toBe(false);
    for (const node of network.nodes) {
      expect(node.lon).toBeGreaterThan(BUSAN_BBOX.minLon);
      expect(node.lon).toBeLessThan(BUSAN_BBOX.maxLon);
      expect(node.lat).toBeGreaterThan(BUSAN_BBOX.minLat);
      expect(node.lat).toBeLessThan(BUSAN_BBOX.maxLat);
    }
  });

  it('answers tens of thousands of land queries quickly and consistently with dongAt', () => {
    const [minLon, minLat, maxLon, maxLat] = network.bbox;
    let onLand = 0;
    const count = 50_000;
    for (let i = 0; i < count; i++) {
      // A low-discrepancy sweep of the bbox (no randomness in tests).
      const lon = minLon + (maxLon - minLon) * ((i * 0.6180339887) % 1);
      const lat = minLat + (maxLat - minLat) * ((i * 0.7548776662) % 1);
      const land = network.isOnLand(lon, lat);
      expect(network.dongAt(lon, lat) !== null).toBe(land);
      if (land) onLand++;
    }
    // Busan's bbox is about one third land, two thirds sea and neighbouring provinces.
    expect(onLand / count).toBeGreaterThan(0.2);
    expect(onLand / count).toBeLessThan(0.6);
  });
});

describe('buildRoadNetwork on a synthetic map', () => {
  /** A square dong of `size` degrees with its south-west corner at (x, y). */
  const square = (code: string, x: number, y: number, size: number) => ({
    type: 'Feature' as const,
    properties: { code, name: code, name_en: code },
    geometry: {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [x, y],
            [x + size, y],
            [x + size, y + size],
            [x, y + size],
            [x, y],
          ],
        ],
      ],
    } satisfies MultiPolygon,
  });

  it('links neighbours through their shared border and drops what cannot be reached', () => {
    const collection: DongCollection = {
      type: 'FeatureCollection',
      features: [
        square('2100001', 129.0, 35.0, 0.02),
        square('2100002', 129.02, 35.0, 0.02),
        // Across a strait from the others: shares no border, too small for local roads.
        square('2100003', 129.1, 35.0, 0.001),
      ],
    };
    const net = buildRoadNetwork(collection);
    const kinds = net.nodes.map((n) => n.kind).sort();
    expect(kinds).toEqual(['border', 'dong', 'dong']);
    expect(net.edges).toHaveLength(2);
    const crossing = net.nodes.find((n) => n.kind === 'border')!;
    // On the shared edge x = 129.02, in its middle.
    expect(crossing.lon).toBeCloseTo(129.02, 9);
    expect(crossing.lat).toBeCloseTo(35.01, 9);
    expect(net.components).toHaveLength(1);
    expect(net.isOnLand(129.1005, 35.0005)).toBe(true);
    expect(net.dongAt(129.1005, 35.0005)?.code).toBe('2100003');
    expect(net.isOnLand(129.05, 35.01)).toBe(false);
  });

  it('refuses a link that would cross water', () => {
    // An L-shaped dong and a small square touching it only at the top of the L's upright. The
    // L's hub sits in its long foot, and the straight line from there to the shared border runs
    // over the bay inside the L: no crossing may be built.
    const lShape = {
      type: 'Feature' as const,
      properties: { code: '2100011', name: 'L', name_en: 'L' },
      geometry: {
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [129.0, 35.0],
              [129.04, 35.0],
              [129.04, 35.005],
              [129.005, 35.005],
              [129.005, 35.035],
              [129.005, 35.04],
              [129.0, 35.04],
              [129.0, 35.0],
            ],
          ],
        ],
      } satisfies MultiPolygon,
    };
    const box = {
      type: 'Feature' as const,
      properties: { code: '2100012', name: 'B', name_en: 'B' },
      geometry: {
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [129.005, 35.035],
              [129.015, 35.035],
              [129.015, 35.045],
              [129.005, 35.045],
              [129.005, 35.04],
              [129.005, 35.035],
            ],
          ],
        ],
      } satisfies MultiPolygon,
    };
    const net = buildRoadNetwork(
      { type: 'FeatureCollection', features: [lShape, box] },
      { minComponentLengthM: 0 },
    );
    expect(net.nodes.filter((n) => n.kind === 'border')).toHaveLength(0);
    // The square, now an island of its own, gets local roads instead.
    expect(net.nodes.some((n) => n.kind === 'local' && n.dongCode === '2100012')).toBe(true);
    expect(net.edges.length).toBeGreaterThan(0);
    for (const edge of net.edges) {
      const a = net.nodes[edge.a]!;
      const b = net.nodes[edge.b]!;
      expect(a.dongCode).toBe(b.dongCode);
      for (let k = 0; k <= 200; k++) {
        const t = k / 200;
        expect(net.isOnLand(a.lon + (b.lon - a.lon) * t, a.lat + (b.lat - a.lat) * t)).toBe(true);
      }
    }
  });

  it('builds the crossing when the hub can see the border', () => {
    // The same pair with the L's foot removed: the upright alone sees the shared border.
    const upright = square('2100021', 129.0, 35.0, 0.005);
    upright.geometry.coordinates = [
      [
        [
          [129.0, 35.0],
          [129.005, 35.0],
          [129.005, 35.035],
          [129.005, 35.04],
          [129.0, 35.04],
          [129.0, 35.0],
        ],
      ],
    ];
    const box = square('2100022', 129.005, 35.035, 0.01);
    box.geometry.coordinates = [
      [
        [
          [129.005, 35.035],
          [129.015, 35.035],
          [129.015, 35.045],
          [129.005, 35.045],
          [129.005, 35.04],
          [129.005, 35.035],
        ],
      ],
    ];
    const net = buildRoadNetwork({ type: 'FeatureCollection', features: [upright, box] });
    const crossing = net.nodes.find((n) => n.kind === 'border');
    expect(crossing).toBeDefined();
    expect(crossing!.lon).toBeCloseTo(129.005, 9);
    expect(crossing!.lat).toBeGreaterThan(35.035);
    expect(crossing!.lat).toBeLessThan(35.04);
    expect(net.components).toHaveLength(1);
  });
});
