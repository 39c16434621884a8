/**
 * The time bar (issue 18): the last hours the relay kept, with alerts as ticks at their times.
 * Live until the operator scrubs, jumps to a time, clicks a tick or rewinds; then a banner with
 * the replayed KST moment says so unmistakably, playback runs at ×1 to ×60, and one click returns
 * to live. The frames are drawn by the vehicle layer from live/fleet.ts `replayFleet`.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { REPLAY_SPEEDS, type ReplaySpeed } from '../../../../shared/replay';
import { formatKstDateTime, formatKstTime } from '../../lib/format-time';
import { fleet, replayFleet, shownFleet } from '../../live/fleet';
import { useAppStore } from '../../store';
import { fetchFleetAt, fetchReplayRange } from './replay-client';
import { startReplayDriver } from './replay-driver';
import { alertTicks, fractionOf, kstTimeToEpoch } from './replay-window';
import './replay.css';

const SLIDER_STEP_MS = 1000;
/** The quick "rewind" button goes this far back. */
const REWIND_MS = 5 * 60_000;
const PERCENT = 100;

/** Starts the replay driver for the logged-in app (mounted once, with the map). */
function useReplayDriver(): void {
  useEffect(
    () =>
      startReplayDriver({
        store: useAppStore,
        live: fleet,
        replay: replayFleet,
        show: (next) => shownFleet.show(next),
        fetchFleetAt,
        fetchRange: fetchReplayRange,
        now: () => performance.now(),
        requestFrame: (callback) => requestAnimationFrame(callback),
        cancelFrame: (handle) => cancelAnimationFrame(handle),
      }),
    [],
  );
}

export function TimeBar() {
  useReplayDriver();
  const { t } = useTranslation();
  const atMs = useAppStore((s) => s.replay.atMs);
  const playing = useAppStore((s) => s.replay.playing);
  const speed = useAppStore((s) => s.replay.speed);
  const range = useAppStore((s) => s.replay.range);
  const error = useAppStore((s) => s.replay.error);
  const alertsById = useAppStore((s) => s.alertsById);
  const seek = useAppStore((s) => s.seekReplay);
  const setPlaying = useAppStore((s) => s.setReplayPlaying);
  const setSpeed = useAppStore((s) => s.setReplaySpeed);
  const backToLive = useAppStore((s) => s.backToLive);
  const selectAlert = useAppStore((s) => s.selectAlert);
  const [jumpText, setJumpText] = useState('');
  const [jumpError, setJumpError] = useState(false);

  const oldest = range?.oldestMs ?? null;
  const newest = range?.newestMs ?? null;
  const ticks = useMemo(
    () =>
      oldest === null || newest === null
        ? []
        : alertTicks(Object.values(alertsById), oldest, newest),
    [alertsById, oldest, newest],
  );
  const replaying = atMs !== null;
  const clamp = (ms: number) =>
    oldest === null || newest === null ? ms : Math.min(newest, Math.max(oldest, ms));

  const onJump = (event: FormEvent) => {
    event.preventDefault();
    const target = kstTimeToEpoch(jumpText, range?.serverNowMs ?? Date.now());
    const inside =
      target !== null && oldest !== null && newest !== null && target >= oldest && target <= newest;
    setJumpError(!inside);
    if (inside) seek(target);
  };

  if (oldest === null || newest === null) {
    return (
      <div className="time-bar time-bar--empty" data-testid="time-bar" data-state="empty">
        {t('replay.nothingYet')}
      </div>
    );
  }

  return (
    <>
      {replaying && (
        <div className="replay-banner" data-testid="replay-banner" role="status">
          <span className="replay-banner__label">{t('replay.banner')}</span>
          <strong className="replay-banner__time" data-testid="replay-banner-time">
            {formatKstDateTime(atMs)} KST
          </strong>
          {error !== null && (
            <span className="replay-banner__error" data-testid="replay-error">
              {error}
            </span>
          )}
          <button
            type="button"
            className="replay-banner__live"
            data-testid="replay-back-to-live"
            onClick={backToLive}
          >
            {t('replay.backToLive')}
          </button>
        </div>
      )}
      <div
        className={`time-bar${replaying ? ' time-bar--replay' : ''}`}
        data-testid="time-bar"
        data-state={replaying ? 'replay' : 'live'}
        data-at-ms={atMs ?? ''}
      >
        <div className="time-bar__controls">
          {replaying ? (
            <button
              type="button"
              className="time-bar__button"
              data-testid="replay-play"
              aria-pressed={playing}
              onClick={() => setPlaying(!playing)}
            >
              {playing ? t('replay.pause') : t('replay.play')}
            </button>
          ) : (
            <button
              type="button"
              className="time-bar__button"
              data-testid="replay-rewind"
              onClick={() => seek(clamp(newest - REWIND_MS))}
            >
              {t('replay.rewind')}
            </button>
          )}
          <label className="time-bar__speed">
            <select
              aria-label={t('replay.speed')}
              data-testid="replay-speed"
              value={speed}
              onChange={(e) => setSpeed(Number(e.target.value) as ReplaySpeed)}
            >
              {REPLAY_SPEEDS.map((s) => (
                <option key={s} value={s}>
                  ×{s}
                </option>
              ))}
            </select>
          </label>
          <form className="time-bar__jump" onSubmit={onJump}>
            <input
              type="text"
              inputMode="numeric"
              placeholder="14:32"
              aria-label={t('replay.jumpLabel')}
              aria-invalid={jumpError}
              data-testid="replay-jump"
              value={jumpText}
              onChange={(e) => setJumpText(e.target.value)}
            />
            <button type="submit" className="time-bar__button" data-testid="replay-jump-go">
              {t('replay.jump')}
            </button>
          </form>
          <span className="time-bar__edge">{formatKstTime(oldest)}</span>
          <span className="time-bar__now" data-testid="replay-time">
            {replaying ? formatKstTime(atMs) : t('replay.live')}
          </span>
        </div>
        <div className="time-bar__track">
          <input
            type="range"
            className="time-bar__slider"
            data-testid="replay-slider"
            aria-label={t('replay.sliderLabel')}
            min={oldest}
            max={newest}
            step={SLIDER_STEP_MS}
            value={atMs ?? newest}
            onChange={(e) => seek(clamp(Number(e.target.value)))}
          />
          {ticks.map((tick) => (
            <button
              key={tick.id}
              type="button"
              className={`time-bar__tick severity--${tick.severity}`}
              data-testid="replay-alert-tick"
              data-alert-id={tick.id}
              style={{ left: `${fractionOf(tick.atMs, oldest, newest) * PERCENT}%` }}
              title={`${formatKstTime(tick.atMs)} · #${tick.id}`}
              aria-label={t('replay.tickLabel', {
                time: formatKstTime(tick.atMs),
                id: String(tick.id),
              })}
              onClick={() => {
                seek(tick.atMs);
                selectAlert(tick.id);
              }}
            />
          ))}
        </div>
      </div>
    </>
  );
}
