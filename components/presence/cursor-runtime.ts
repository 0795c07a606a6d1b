/**
 * The remote cursor animation, outside React: awareness samples go into one CursorTrack per peer,
 * and a single requestAnimationFrame loop writes each cursor element's `transform` directly (no
 * React render per frame, no board repaint). The loop stops when every cursor has settled and no
 * laser trail is fading, and restarts on the next sample or camera change. Laser trails of all
 * peers are painted on one small canvas.
 */
import type { Point } from '@/lib/presence/interpolation';
import { CursorTrack } from '@/lib/presence/interpolation';
import { boardToScreen, type Camera } from '@/lib/ui/camera';
import { useUiStore } from '@/lib/ui/ui-store';
import type { RemotePresence } from '../session/board-session';

const TRAIL_MS = 700;
const LOCAL = -1; // key of the local user's own laser trail

type TrailPoint = Point & { t: number };
type Entry = {
  name: string;
  color: string;
  track: CursorTrack;
  el: HTMLElement | null;
  drawn: Point | null;
  laser: boolean;
  trail: TrailPoint[];
};

export type CursorSnapshot = Record<string, { clientId: number; received: Point | null; drawn: Point | null }>;

class CursorRuntime {
  private readonly entries = new Map<number, Entry>();
  private frame = 0;
  private trailCanvas: HTMLCanvasElement | null = null;
  interpolate = true;

  /** Feeds the current remote presence list (called on every awareness change). */
  ingest(list: readonly RemotePresence[], now: number): void {
    const seen = new Set<number>();
    for (const peer of list) {
      seen.add(peer.clientId);
      let e = this.entries.get(peer.clientId);
      if (!e) {
        e = { name: '', color: '', track: new CursorTrack(), el: null, drawn: null, laser: false, trail: [] };
        this.entries.set(peer.clientId, e);
      }
      e.name = peer.user.name;
      e.color = peer.user.color;
      e.laser = peer.laser;
      const last = e.track.received;
      if (!peer.cursor) e.track.clear();
      // other fields (view, selection) change too: only a moved cursor is a new sample
      else if (!last || last.x !== peer.cursor.x || last.y !== peer.cursor.y) e.track.push(peer.cursor, now);
    }
    for (const id of [...this.entries.keys()]) if (id !== LOCAL && !seen.has(id)) this.entries.delete(id);
    if (this.interpolate) this.requestFrame();
    else this.drawNow(); // without smoothing, draw on arrival: drawn === received at all times
  }

  private drawNow(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.tick();
  }

  /** Cursor elements register themselves (ref callbacks); null on unmount. */
  attach(clientId: number, el: HTMLElement | null): void {
    const e = this.entries.get(clientId);
    if (e) e.el = el;
    if (el) this.requestFrame();
  }

  attachTrailCanvas(canvas: HTMLCanvasElement | null): void {
    this.trailCanvas = canvas;
  }

  /** The local user's laser: a trail drawn locally (peers draw theirs from our cursor stream). */
  pushLocalLaser(p: Point, now: number, color: string): void {
    let e = this.entries.get(LOCAL);
    if (!e) {
      e = { name: '', color, track: new CursorTrack(), el: null, drawn: null, laser: true, trail: [] };
      this.entries.set(LOCAL, e);
    }
    e.trail.push({ ...p, t: now });
    this.requestFrame();
  }

  requestFrame(): void {
    if (this.frame === 0 && typeof requestAnimationFrame === 'function') this.frame = requestAnimationFrame(this.tick);
  }

  snapshot(): CursorSnapshot {
    const out: CursorSnapshot = {};
    for (const [clientId, e] of this.entries) {
      if (clientId === LOCAL) continue;
      out[e.name] = { clientId, received: e.track.received, drawn: e.drawn ? { ...e.drawn } : null };
    }
    return out;
  }

  reset(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.entries.clear();
  }

  private readonly tick = (): void => {
    this.frame = 0;
    // performance.now(), not the rAF timestamp: samples are stamped with it and the rAF time may precede them
    const now = performance.now();
    const camera = useUiStore.getState().camera;
    let busy = false;
    for (const [clientId, e] of this.entries) {
      if (clientId !== LOCAL) {
        const p = this.interpolate ? e.track.sample(now) : e.track.received;
        e.drawn = p;
        if (e.el) place(e.el, camera, p);
        if (!e.track.settled(now) && this.interpolate) busy = true;
        if (e.laser && p) {
          const tail = e.trail.at(-1);
          if (!tail || tail.x !== p.x || tail.y !== p.y) e.trail.push({ ...p, t: now });
        }
      }
      while (e.trail.length > 0 && now - e.trail[0].t > TRAIL_MS) e.trail.shift();
      if (e.trail.length > 0) busy = true;
    }
    this.paintTrails(camera, now);
    if (busy) this.requestFrame();
  };

  private paintTrails(camera: Camera, now: number): void {
    const canvas = this.trailCanvas;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(canvas.clientWidth * dpr);
    const h = Math.round(canvas.clientHeight * dpr);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, canvas.clientWidth, canvas.clientHeight);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    for (const e of this.entries.values()) {
      for (let i = 1; i < e.trail.length; i++) {
        const a = boardToScreen(camera, e.trail[i - 1]);
        const b = boardToScreen(camera, e.trail[i]);
        const life = 1 - (now - e.trail[i].t) / TRAIL_MS;
        ctx.globalAlpha = Math.max(0, life);
        ctx.strokeStyle = e.color;
        ctx.lineWidth = 2 + 4 * life;
        ctx.beginPath();
        ctx.moveTo(a.x, a.y);
        ctx.lineTo(b.x, b.y);
        ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
  }
}

function place(el: HTMLElement, camera: Camera, p: Point | null): void {
  if (!p) {
    el.style.visibility = 'hidden';
    return;
  }
  const s = boardToScreen(camera, p);
  el.style.visibility = 'visible';
  el.style.transform = `translate(${s.x}px, ${s.y}px)`;
}

/** One runtime per page: there is one board per page. */
export const cursorRuntime = new CursorRuntime();
