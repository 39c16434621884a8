/**
 * What walls say. A wall has no language switch and is read by police and city staff alike, so
 * it says everything in both languages at once, Korean first and larger, English beneath it.
 * The shared vocabulary (alert types, severities, statuses) comes from the app's i18n resources
 * (see bilingual()); the wall's own sentences live here.
 */
import type { AlertStatus, AlertType, Severity } from '../../../shared/alerts';
import type { WallView } from '../../../shared/ipc';
import { i18n } from '../i18n';

export interface Bilingual {
  ko: string;
  en: string;
}

/** The app's shared vocabulary a wall uses. */
type SharedKey = `alertType.${AlertType}` | `severity.${Severity}` | `alertStatus.${AlertStatus}`;

const tKo = i18n.getFixedT('ko');
const tEn = i18n.getFixedT('en');

/** One key of the app's translations, in both languages. */
export function bilingual(key: SharedKey): Bilingual {
  return { ko: tKo(key), en: tEn(key) };
}

export const VIEW_TITLES: Readonly<Record<WallView, Bilingual>> = {
  map: { ko: '실시간 지도', en: 'Live map' },
  alerts: { ko: '경보 현황판', en: 'Alert board' },
  kpi: { ko: '운영 지표', en: 'Key figures' },
  heat: { ko: '구·군별 경보 밀도', en: 'Open alerts by district' },
};

/** Alert types in few words, where a tile lists all four beside a number. */
export const ALERT_TYPE_SHORT: Readonly<Record<AlertType, Bilingual>> = {
  DROWSY: { ko: '졸음운전', en: 'Drowsy' },
  ARREARS_HIT: { ko: '체납차량', en: 'Arrears' },
  MISSING_PERSON_HIT: { ko: '실종자', en: 'Missing' },
  INTERLOCK: { ko: '음주 방지장치', en: 'Interlock' },
  PIPELINE_HEALTH: { ko: '파이프라인', en: 'Pipeline' },
};

export const KIOSK_TEXT = {
  title: { ko: '부산 실시간 관제', en: 'Busan Control Room' },
  connecting: { ko: '중계 서버에 연결하는 중…', en: 'Connecting to the relay…' },
  connectingRetry: {
    ko: '중계 서버가 응답하지 않습니다. 자동으로 다시 시도합니다.',
    en: 'The relay does not answer. Trying again automatically.',
  },
  checking: { ko: '장치 자격 증명 확인 중…', en: 'Checking the device credential…' },
  vehicles: { ko: '운행 차량', en: 'Vehicles live' },
  openAlerts: { ko: '미종결 경보', en: 'Open alerts' },
  overdue: { ko: '기한 초과', en: 'Overdue' },
  resolved24h: { ko: '종결 24h', en: 'Resolved 24 h' },
  noOpenAlerts: { ko: '미종결 경보가 없습니다', en: 'No open alerts' },
  waitingForAlerts: { ko: '경보를 불러오는 중…', en: 'Loading alerts…' },
  unknownPlace: { ko: '위치 미상', en: 'Place unknown' },
  moreAlerts: { ko: '외 {{count}}건', en: '+{{count}} more' },
  unacknowledged: { ko: '미확인 경보', en: 'Unacknowledged' },
  oldestUnacknowledged: { ko: '가장 오래된 미확인', en: 'Oldest unacknowledged' },
  noneWaiting: { ko: '없음', en: 'None waiting' },
  alertsToday: { ko: '오늘 경보', en: 'Alerts today (KST)' },
  tcsRate: { ko: 'TCS 연계 성공률', en: 'TCS hand-off success' },
  tcsTarget: { ko: '목표 {{target}}', en: 'Target {{target}}' },
  tcsNoneYet: { ko: '완료된 연계 없음', en: 'No hand-off finished yet' },
  tcsCaseRate: { ko: '사건 접수 {{rate}}', en: 'Ended in a case {{rate}}' },
  tcsUnavailable: { ko: '이 중계 서버에는 없음', en: 'Not on this relay' },
  tcsFailed: { ko: '통계를 가져오지 못함', en: 'Could not read the figures' },
  tcsBreakerOpen: { ko: 'TCS 연결 차단됨', en: 'TCS link down (breaker open)' },
  ingest: { ko: '수집 상태 · {{source}}', en: 'Ingest · {{source}}' },
  ingestWaiting: { ko: '수집 상태', en: 'Ingest' },
  ingestOk: { ko: '정상', en: 'OK' },
  ingestDegraded: { ko: '지연', en: 'Degraded' },
  ingestUnknown: { ko: '확인 중', en: 'Waiting' },
  ingestLag: { ko: '소비 지연 {{lag}}건', en: 'lag {{lag}}' },
  ingestLagUnknown: { ko: '소비 지연 미상', en: 'lag unknown' },
  ingestLast: { ko: '마지막 수집 {{age}} 전', en: '{{age}} ago' },
  source: {
    sim: { ko: '시뮬레이터', en: 'simulator' },
    kafka: { ko: 'Kafka', en: 'Kafka' },
  },
  heatLegend: { ko: '미종결 경보 수', en: 'Open alerts' },
  heatNone: { ko: '없음', en: 'None' },
  heatTop: { ko: '경보가 많은 구·군', en: 'Most open alerts' },
  feedLost: { ko: '실시간 피드 끊김', en: 'Live feed lost' },
  feedStale: { ko: '데이터 지연', en: 'Data is stale' },
  lastData: { ko: '마지막 수신 {{age}} 전', en: 'Last data {{age}} ago' },
  noData: { ko: '수신한 데이터 없음', en: 'No data received yet' },
  credential: {
    title: {
      ko: '이 화면에는 장치 자격 증명이 필요합니다',
      en: 'This display needs a device credential',
    },
    missing: {
      ko: '이 벽면 화면은 아직 설정되지 않았습니다.',
      en: 'This wall display has not been set up yet.',
    },
    refused: {
      ko: '중계 서버가 이 장치 자격 증명을 거부했습니다 (만료, 폐기 또는 계정 사용 중지).',
      en: 'The relay refused this device credential (expired, revoked or the account disabled).',
    },
    notViewer: {
      ko: '이 자격 증명은 열람자(viewer) 계정이 아닙니다. 벽면 화면은 열람자 계정만 사용합니다.',
      en: 'This credential is not a viewer account. Wall displays use viewer accounts only.',
    },
    adminTitle: { ko: '관리자가 할 일', en: 'What an administrator must do' },
    steps: [
      {
        ko: '열람자 계정을 만듭니다: POST /api/users {"username":"wall-1", "role":"viewer", …}',
        en: 'Create a viewer account: POST /api/users {"username":"wall-1", "role":"viewer", …}',
      },
      {
        ko: '장치 자격 증명을 발급합니다: POST /api/users/wall-1/device-token',
        en: 'Issue its device credential: POST /api/users/wall-1/device-token',
      },
      {
        ko: '이 화면을 {{address}}#device=<토큰> 으로 엽니다 (데스크톱 앱: --device-token=<토큰>).',
        en: 'Open this display at {{address}}#device=<token> (desktop app: --device-token=<token>).',
      },
    ],
    retry: {
      ko: '이 화면은 1분마다 자격 증명을 다시 확인합니다.',
      en: 'This display checks its credential again every minute.',
    },
  },
} as const;

/**
 * `{{name}}` placeholders filled in, in both languages. A value may itself be bilingual (an age:
 * "2분 14초" / "2 m 14 s"); a plain one is the same in both.
 */
export function fill(
  text: Bilingual,
  values: Readonly<Record<string, string | number | Bilingual>>,
): Bilingual {
  const apply = (s: string, language: keyof Bilingual) =>
    s.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
      const value = values[name];
      if (value === undefined) return whole;
      return typeof value === 'object' ? value[language] : String(value);
    });
  return { ko: apply(text.ko, 'ko'), en: apply(text.en, 'en') };
}
