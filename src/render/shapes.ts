/** A drawing as a list of shapes in pixels, origin top left: written out as SVG, or painted onto a PDF page. */
export type Shape =
  | { kind: 'rect'; x: number; y: number; width: number; height: number; fill?: string; stroke?: string }
  | { kind: 'line'; x1: number; y1: number; x2: number; y2: number; stroke: string; width?: number }
  | { kind: 'path'; d: string; fill?: string; stroke?: string; width?: number }
  | { kind: 'circle'; cx: number; cy: number; r: number; fill: string }
  | Text;

export interface Text {
  kind: 'text';
  /** The start, middle or end of the baseline, as `anchor` says. */
  x: number;
  y: number;
  text: string;
  size: number;
  fill: string;
  bold?: boolean;
  anchor?: 'start' | 'middle' | 'end';
  /** Degrees clockwise about (x, y). */
  rotate?: number;
}

export interface Size {
  width: number;
  height: number;
}

export const round = (value: number) => Math.round(value * 100) / 100;
