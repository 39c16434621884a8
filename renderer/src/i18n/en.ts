import type { TranslationResource } from './ko';

export const en: TranslationResource = {
  app: {
    title: 'Busan Control Room',
  },
  header: {
    vehicles: 'Vehicles',
    clock: 'KST',
  },
  connection: {
    live: 'Live',
    reconnecting: 'Reconnecting',
    lost: 'Connection lost',
    lastFrame: 'last frame {{age}}',
    waiting: 'waiting for data',
    lostBanner: 'The live feed is lost. Reconnecting automatically.',
    source: {
      sim: 'simulator',
      kafka: 'Kafka',
    },
  },
  age: {
    justNow: 'just now',
    secondsAgo: '{{count}} s ago',
    minutesAgo: '{{count}} min ago',
    hoursAgo: '{{count}} h ago',
  },
  language: {
    label: 'Switch language',
  },
  legend: {
    title: 'Vehicles',
    missing: 'Missing person',
    arrears: 'Arrears',
    drowsy: 'Drowsy',
    stopped: 'Stopped',
    slow: '5–30',
    medium: '30–60',
    fast: '60+ km/h',
  },
  drawer: {
    title: 'Vehicle',
    plate: 'Plate',
    age: 'Driver age',
    sex: 'Sex',
    brand: 'Brand',
    speed: 'Speed',
    weather: 'Weather',
    sessionStart: 'Session start',
    lastUpdate: 'Last update',
    close: 'Close',
    ageBand: '{{band}}s',
    speedValue: '{{speed}} km/h',
    unknown: '—',
    gone: 'Session ended: no more positions are arriving.',
    sessionStartKst: '{{time}} KST',
  },
  status: {
    missing: 'Missing-person hit',
    arrears: 'Arrears hit',
    drowsy: 'Drowsy driving',
  },
  sex: {
    male: 'Male',
    female: 'Female',
  },
  weather: {
    clear: 'Clear',
    partlyCloudy: 'Partly cloudy',
    cloudy: 'Cloudy',
    rain: 'Rain',
    snow: 'Snow',
    sleet: 'Sleet',
    fog: 'Fog',
  },
};
