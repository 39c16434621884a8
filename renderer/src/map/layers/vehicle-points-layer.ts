/**
 * Vehicles as GL points: one vertex per vehicle, drawn as a round dot of a fixed pixel size.
 *
 * Why not deck.gl's ScatterplotLayer: it draws every dot as an instanced quad, and where there is
 * no GPU (Chromium's SwiftShader renders WebGL on the CPU) an instance costs ~18 µs: a frame of
 * 50,000 quads took ~0.9 s in plain WebGL2 on the 2-core test machines, the same dots as one
 * point list ~0.18 s (docs/PERFORMANCE.md). On a GPU both are fast. What the product used of the
 * scatterplot is kept: binary position and colour attributes, round dots of a pixel size, picking.
 */
import {
  Layer,
  color,
  picking,
  project32,
  type DefaultProps,
  type LayerProps,
  type UpdateParameters,
} from '@deck.gl/core';
import { Model } from '@luma.gl/engine';
import type { ShaderModule } from '@luma.gl/shadertools';

/** Uniforms of the point shader. */
interface VehiclePointsUniforms {
  radiusPixels: number;
}

const vehiclePointsUniforms = {
  name: 'vehiclePoints',
  vs: /* glsl */ `\
uniform vehiclePointsUniforms {
  float radiusPixels;
} vehiclePoints;
`,
  fs: '',
  uniformTypes: { radiusPixels: 'f32' },
} as const satisfies ShaderModule<VehiclePointsUniforms>;

const vs = /* glsl */ `\
#version 300 es
#define SHADER_NAME vehicle-points-layer-vertex-shader
in vec3 positions;
in vec3 positions64Low;
in vec4 colors;
out vec4 vColor;
out float vRadiusDevicePixels;
void main(void) {
  geometry.worldPosition = positions;
  // Not instanced: the vertex is the vehicle, so its index is the picked object's index.
  geometry.pickingColor = picking_getPickingColorFromIndex(float(gl_VertexID));
  gl_Position = project_position_to_clipspace(positions, positions64Low, vec3(0.0), geometry.position);
  DECKGL_FILTER_GL_POSITION(gl_Position, geometry);
  vRadiusDevicePixels = vehiclePoints.radiusPixels * project.devicePixelRatio;
  // One pixel of margin for the soft edge.
  gl_PointSize = 2.0 * vRadiusDevicePixels + 1.0;
  vColor = vec4(colors.rgb, colors.a * layer.opacity);
  // A vehicle the map's filters hide (alpha 0) goes outside the clip volume: neither drawn nor
  // picked by a click.
  if (colors.a == 0.0) {
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
  }
  DECKGL_FILTER_COLOR(vColor, geometry);
}
`;

const fs = /* glsl */ `\
#version 300 es
#define SHADER_NAME vehicle-points-layer-fragment-shader
precision highp float;
in vec4 vColor;
in float vRadiusDevicePixels;
out vec4 fragColor;
void main(void) {
  // A point is a square: keep the disc, with a one-pixel soft edge in place of multisampling
  // (which the overlay does without: it doubles the cost of every draw on a software renderer).
  float fromCentre = length(gl_PointCoord - vec2(0.5)) * (2.0 * vRadiusDevicePixels + 1.0);
  float coverage = clamp(vRadiusDevicePixels + 0.5 - fromCentre, 0.0, 1.0);
  if (coverage == 0.0) {
    discard;
  }
  fragColor = vec4(vColor.rgb, vColor.a * coverage);
  DECKGL_FILTER_COLOR(fragColor, geometry);
}
`;

type Position = readonly [lon: number, lat: number];
type Color = readonly number[];

export interface VehiclePointsLayerProps<D = unknown> extends LayerProps {
  data: LayerProps['data'];
  /** Dot radius in CSS pixels. */
  radiusPixels?: number;
  getPosition?: (d: D) => Position;
  getFillColor?: Color | ((d: D) => Color);
}

const defaultProps: DefaultProps<VehiclePointsLayerProps> = {
  radiusPixels: { type: 'number', min: 0, value: 3 },
  getPosition: { type: 'accessor', value: (d: unknown) => (d as { position: Position }).position },
  getFillColor: { type: 'accessor', value: [0, 0, 0, 255] },
};

export class VehiclePointsLayer<D = unknown> extends Layer<Required<VehiclePointsLayerProps<D>>> {
  static override layerName = 'VehiclePointsLayer';
  static override defaultProps = defaultProps;

  declare state: { model?: Model };

  override getShaders() {
    return super.getShaders({
      vs,
      fs,
      modules: [project32, color, picking, vehiclePointsUniforms],
    });
  }

  override initializeState(): void {
    // add(), not addInstanced(): per-vertex attributes for a point list.
    this.getAttributeManager()!.add({
      positions: {
        size: 3,
        type: 'float64',
        fp64: this.use64bitPositions(),
        accessor: 'getPosition',
      },
      colors: {
        size: 4,
        type: 'unorm8',
        accessor: 'getFillColor',
        defaultValue: [0, 0, 0, 255],
      },
    });
  }

  override updateState(params: UpdateParameters<this>): void {
    super.updateState(params);
    if (params.changeFlags.extensionsChanged) {
      this.state.model?.destroy();
      this.state.model = this.getModel();
      this.getAttributeManager()!.invalidateAll();
    }
  }

  override draw(): void {
    const model = this.state.model;
    if (!model) return;
    model.shaderInputs.setProps({ vehiclePoints: { radiusPixels: this.props.radiusPixels } });
    model.setVertexCount(this.getNumInstances());
    model.draw(this.context.renderPass!);
  }

  private getModel(): Model {
    return new Model(this.context.device, {
      ...this.getShaders(),
      id: this.props.id,
      bufferLayout: this.getAttributeManager()!.getBufferLayouts({ isInstanced: false }),
      topology: 'point-list',
      vertexCount: 0,
      isInstanced: false,
    });
  }
}
