/** Korean strings: the default language of the control room. English mirrors this shape. */
export const ko = {
  app: {
    title: '부산 실시간 관제',
  },
  header: {
    vehicles: '운행 차량',
    clock: 'KST',
  },
  connection: {
    live: '실시간',
    reconnecting: '재연결 중',
    lost: '연결 끊김',
    lastFrame: '최근 수신 {{age}}',
    waiting: '수신 대기',
    lostBanner: '실시간 데이터 연결이 끊겼습니다. 자동으로 재연결을 시도하고 있습니다.',
    source: {
      sim: '시뮬레이터',
      kafka: 'Kafka',
    },
  },
  age: {
    justNow: '방금',
    secondsAgo: '{{count}}초 전',
    minutesAgo: '{{count}}분 전',
    hoursAgo: '{{count}}시간 전',
  },
  language: {
    label: '언어 전환',
  },
  legend: {
    title: '차량 상태',
    missing: '실종자',
    arrears: '체납',
    drowsy: '졸음',
    stopped: '정지',
    slow: '5–30',
    medium: '30–60',
    fast: '60+ km/h',
  },
  drawer: {
    title: '차량 정보',
    plate: '번호판',
    age: '연령대',
    sex: '성별',
    brand: '차량 브랜드',
    speed: '현재 속도',
    weather: '날씨',
    sessionStart: '운행 시작',
    lastUpdate: '마지막 업데이트',
    close: '닫기',
    ageBand: '{{band}}대',
    speedValue: '{{speed}} km/h',
    unknown: '—',
    gone: '운행 종료: 위치가 더 이상 수신되지 않습니다.',
    sessionStartKst: '{{time}} KST',
  },
  status: {
    missing: '실종자 차량 적발',
    arrears: '체납 차량 적발',
    drowsy: '졸음 운전 감지',
  },
  sex: {
    male: '남성',
    female: '여성',
  },
  weather: {
    clear: '맑음',
    partlyCloudy: '구름 조금',
    cloudy: '흐림',
    rain: '비',
    snow: '눈',
    sleet: '진눈깨비',
    fog: '안개',
  },
} as const;

type Shape<T> = { readonly [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

/** The shape every language must fill: the Korean keys with any strings. */
export type TranslationResource = Shape<typeof ko>;
