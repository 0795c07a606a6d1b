/**
 * Wires presence to the board for the session's lifetime: remote awareness -> roster store and
 * cursor runtime; local camera, selection, activity, spotlight and laser -> our awareness state
 * (throttled by the publisher); and follow mode (our camera glides after the leader's viewport,
 * lib/presence/view-track.ts, until we pan or zoom ourselves).
 */
import { useEffect, type RefObject } from 'react';
import { activityOf, cameraForView, camerasDiffer, parsePresenceSettings, viewOf, type Size } from '@/lib/presence/follow';
import { ViewTrack } from '@/lib/presence/view-track';
import { screenToBoard, type Camera } from '@/lib/ui/camera';
import { useUiStore } from '@/lib/ui/ui-store';
import { useEditorStore } from '../editor/editor-store';
import { listRemotePresence, observePresence, updateLocalPresence, useBoardSession } from '../session/board-session';
import { cursorRuntime } from './cursor-runtime';
import { usePresenceStore } from './presence-store';

const ACTIVITY_CHECK_MS = 1000;

const sameCamera = (a: Camera, b: Camera) => a.x === b.x && a.y === b.y && a.zoom === b.zoom;

export function usePresenceController(surface: RefObject<HTMLElement | null>): void {
  const board = useBoardSession((s) => s.board);

  useEffect(() => {
    const el = surface.current;
    if (!board || !el) return;
    const settings = parsePresenceSettings(new URLSearchParams(window.location.search));
    cursorRuntime.interpolate = settings.interpolate;
    let size: Size = { width: el.clientWidth, height: el.clientHeight };
    /** The camera follow mode last set: any other camera change is the user's own pan or zoom. */
    let followCamera: Camera | null = null;

    // the leader's views arrive at the presence rate: replay them smoothly (or as they come with ?interpolate=0)
    const followTrack = new ViewTrack();
    let followFrame = 0;
    const showFollowed = () => {
      followFrame = 0;
      if (!usePresenceStore.getState().following || size.width === 0) return;
      const now = performance.now();
      const view = settings.interpolate ? followTrack.sample(now) : followTrack.received;
      if (!view) return;
      const camera = cameraForView(view, size);
      const current = useUiStore.getState().camera;
      // while gliding every sub-unit step counts; at rest, rounding noise must not re-render
      const moved = settings.interpolate ? !sameCamera(camera, current) : camerasDiffer(camera, current);
      if (moved) {
        followCamera = camera;
        useUiStore.getState().setCamera(camera);
      }
      if (settings.interpolate && !followTrack.settled(now)) followFrame = requestAnimationFrame(showFollowed);
    };
    const scheduleFollow = () => {
      if (!settings.interpolate) showFollowed();
      else if (followFrame === 0) followFrame = requestAnimationFrame(showFollowed);
    };

    const applyFollow = () => {
      const { following, peers } = usePresenceStore.getState();
      if (!following) return;
      if (!peers.some((p) => p.clientId === following.clientId)) {
        usePresenceStore.getState().stopFollowing(); // the leader left
        return;
      }
      const leader = listRemotePresence().find((p) => p.clientId === following.clientId);
      if (!leader?.view) return;
      const last = followTrack.received;
      const v = leader.view;
      // other fields of the leader's state change too: only a changed view is a new sample
      if (!last || last.x !== v.x || last.y !== v.y || last.w !== v.w || last.h !== v.h) {
        const first = last === null;
        followTrack.push(v, performance.now());
        if (first) showFollowed(); // start following at once, glide from then on
      }
      scheduleFollow();
    };

    const autoFollowPresenter = () => {
      const { peers, following, dismissed, presenting, follow, stopFollowing } = usePresenceStore.getState();
      if (following?.reason === 'spotlight' && !peers.some((p) => p.clientId === following.clientId && p.spotlight)) {
        stopFollowing(); // the presenter stopped presenting
        return;
      }
      if (following || presenting) return;
      const presenter = peers.find((p) => p.spotlight && !dismissed.includes(p.clientId));
      if (presenter) follow(presenter.clientId, 'spotlight');
    };

    const onPresence = () => {
      const list = listRemotePresence();
      cursorRuntime.ingest(list, performance.now());
      usePresenceStore.getState().ingest(list);
      autoFollowPresenter();
      applyFollow();
    };
    // 50 peers at 10 Hz are 500 awareness changes a second: handle them at most once per frame
    // (the timer covers hidden tabs, where animation frames stop but leaving peers must go)
    let presenceFrame = 0;
    let presenceTimer = 0;
    const flushPresence = () => {
      cancelAnimationFrame(presenceFrame);
      window.clearTimeout(presenceTimer);
      presenceFrame = 0;
      presenceTimer = 0;
      onPresence();
    };
    const stopPresence = observePresence(() => {
      if (presenceTimer !== 0) return;
      presenceFrame = requestAnimationFrame(flushPresence);
      presenceTimer = window.setTimeout(flushPresence, 100);
    });
    onPresence();

    // a selection in a version shown on the canvas (components/history) names no live shape: not shared
    const publishSelection = () => {
      const onLive = useEditorStore.getState().editor?.board === board;
      updateLocalPresence({ sel: onLive ? [...useUiStore.getState().selection] : [] });
    };
    const publishView = () => {
      if (size.width > 0 && size.height > 0) updateLocalPresence({ view: viewOf(useUiStore.getState().camera, size) });
    };
    const resizeObserver = new ResizeObserver(() => {
      size = { width: el.clientWidth, height: el.clientHeight };
      publishView();
      showFollowed();
    });
    resizeObserver.observe(el);
    publishView();

    const stopUi = useUiStore.subscribe((s, prev) => {
      if (s.camera !== prev.camera) {
        publishView();
        cursorRuntime.requestFrame();
        if (usePresenceStore.getState().following && (!followCamera || camerasDiffer(s.camera, followCamera))) {
          usePresenceStore.getState().stopFollowing(); // a manual pan or zoom
        }
      }
      if (s.selection !== prev.selection) publishSelection();
    });
    publishSelection();
    const stopEditor = useEditorStore.subscribe((s, prev) => {
      if (s.editor !== prev.editor) publishSelection();
    });

    const stopStore = usePresenceStore.subscribe((s, prev) => {
      if (s.presenting !== prev.presenting) updateLocalPresence({ spot: s.presenting });
      if (s.laser !== prev.laser) updateLocalPresence({ laser: s.laser });
      if (s.following !== prev.following) {
        followCamera = null;
        followTrack.clear();
        applyFollow();
      }
      if (s.dismissed !== prev.dismissed || s.presenting !== prev.presenting) autoFollowPresenter();
    });

    let lastInput = performance.now();
    const refreshActivity = () => {
      updateLocalPresence({ act: activityOf(lastInput, performance.now(), document.hidden, settings.idleAfterMs) });
    };
    const onInput = () => {
      lastInput = performance.now();
      refreshActivity();
    };
    const onPointerMove = (e: PointerEvent) => {
      onInput();
      if (!usePresenceStore.getState().laser) return;
      const r = el.getBoundingClientRect();
      const p = screenToBoard(useUiStore.getState().camera, { x: e.clientX - r.left, y: e.clientY - r.top });
      cursorRuntime.pushLocalLaser(p, performance.now(), useBoardSession.getState().user.color);
    };
    const activityTimer = window.setInterval(refreshActivity, ACTIVITY_CHECK_MS);
    window.addEventListener('pointermove', onPointerMove);
    window.addEventListener('pointerdown', onInput);
    window.addEventListener('keydown', onInput);
    window.addEventListener('wheel', onInput, { passive: true });
    document.addEventListener('visibilitychange', refreshActivity);

    return () => {
      stopPresence();
      cancelAnimationFrame(presenceFrame);
      cancelAnimationFrame(followFrame);
      window.clearTimeout(presenceTimer);
      stopUi();
      stopEditor();
      stopStore();
      resizeObserver.disconnect();
      window.clearInterval(activityTimer);
      window.removeEventListener('pointermove', onPointerMove);
      window.removeEventListener('pointerdown', onInput);
      window.removeEventListener('keydown', onInput);
      window.removeEventListener('wheel', onInput);
      document.removeEventListener('visibilitychange', refreshActivity);
      cursorRuntime.reset();
      usePresenceStore.getState().reset();
    };
  }, [board, surface]);
}
