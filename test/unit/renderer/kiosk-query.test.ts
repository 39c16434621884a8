import { describe, expect, it } from 'vitest';
import { MAX_ROTATE_SECONDS, MIN_ROTATE_SECONDS, WALL_VIEWS } from '../../../shared/ipc';
import {
  DEFAULT_ROTATE_SECONDS,
  isKioskPath,
  parseKioskQuery,
} from '../../../renderer/src/kiosk/kiosk-query';

describe('isKioskPath', () => {
  it('is the kiosk at /kiosk, with or without a trailing slash, also under a prefix', () => {
    expect(isKioskPath('/kiosk')).toBe(true);
    expect(isKioskPath('/kiosk/')).toBe(true);
    expect(isKioskPath('/control/kiosk')).toBe(true);
  });

  it('is the operators’ client anywhere else', () => {
    expect(isKioskPath('/')).toBe(false);
    expect(isKioskPath('/index.html')).toBe(false);
    expect(isKioskPath('/kiosks')).toBe(false);
    expect(isKioskPath('/mykiosk')).toBe(false);
    expect(isKioskPath('/kiosk/extra')).toBe(false);
  });
});

describe('parseKioskQuery', () => {
  it('reads the views in the order given and the rotation in seconds', () => {
    expect(parseKioskQuery('?views=alerts,map&rotate=12')).toEqual({
      views: ['alerts', 'map'],
      rotateSeconds: 12,
      ignored: [],
    });
  });

  it('shows one view alone', () => {
    expect(parseKioskQuery('?views=kpi').views).toEqual(['kpi']);
  });

  it('shows every view every 30 s when nothing is given', () => {
    expect(parseKioskQuery('')).toEqual({
      views: [...WALL_VIEWS],
      rotateSeconds: DEFAULT_ROTATE_SECONDS,
      ignored: [],
    });
    expect(DEFAULT_ROTATE_SECONDS).toBe(30);
  });

  it('is lenient about spaces, case, duplicates and empty items', () => {
    expect(parseKioskQuery('?views= Map ,,HEAT,map,').views).toEqual(['map', 'heat']);
  });

  it('skips unknown views and names them; with none left it shows every view', () => {
    expect(parseKioskQuery('?views=map,radar')).toMatchObject({
      views: ['map'],
      ignored: ['radar'],
    });
    expect(parseKioskQuery('?views=radar')).toMatchObject({
      views: [...WALL_VIEWS],
      ignored: ['radar'],
    });
  });

  it('holds the rotation to 5 s at least and an hour at most, rounding to whole seconds', () => {
    expect(parseKioskQuery('?rotate=1').rotateSeconds).toBe(MIN_ROTATE_SECONDS);
    expect(parseKioskQuery('?rotate=0').rotateSeconds).toBe(MIN_ROTATE_SECONDS);
    expect(parseKioskQuery('?rotate=-30').rotateSeconds).toBe(MIN_ROTATE_SECONDS);
    expect(parseKioskQuery('?rotate=99999').rotateSeconds).toBe(MAX_ROTATE_SECONDS);
    expect(parseKioskQuery('?rotate=7.6').rotateSeconds).toBe(8);
    expect(MIN_ROTATE_SECONDS).toBe(5);
  });

  it('falls back to 30 s for a rotation it cannot read', () => {
    for (const raw of ['abc', '', ' ', 'NaN', 'Infinity', '10s']) {
      expect(parseKioskQuery(`?rotate=${raw}`).rotateSeconds).toBe(DEFAULT_ROTATE_SECONDS);
    }
  });

  it('ignores other parameters and reads the query of a full search string', () => {
    expect(parseKioskQuery('?lang=en&views=heat&rotate=5&x=1')).toMatchObject({
      views: ['heat'],
      rotateSeconds: 5,
    });
  });
});
