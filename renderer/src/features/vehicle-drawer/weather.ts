import type { ko } from '../../i18n/ko';

export type WeatherKey = keyof (typeof ko)['weather'];

/**
 * Weather words the upstream is known to send (Korean, or English codes), to translated keys.
 * Anything else is shown exactly as received.
 */
const WEATHER_KEYS: Readonly<Record<string, WeatherKey>> = {
  맑음: 'clear',
  clear: 'clear',
  sunny: 'clear',
  구름조금: 'partlyCloudy',
  '구름 조금': 'partlyCloudy',
  partly_cloudy: 'partlyCloudy',
  'partly cloudy': 'partlyCloudy',
  구름많음: 'cloudy',
  '구름 많음': 'cloudy',
  흐림: 'cloudy',
  cloudy: 'cloudy',
  overcast: 'cloudy',
  비: 'rain',
  소나기: 'rain',
  rain: 'rain',
  rainy: 'rain',
  눈: 'snow',
  snow: 'snow',
  snowy: 'snow',
  진눈깨비: 'sleet',
  sleet: 'sleet',
  안개: 'fog',
  fog: 'fog',
  foggy: 'fog',
};

export function weatherKey(raw: string): WeatherKey | null {
  return WEATHER_KEYS[raw.trim().toLowerCase()] ?? null;
}
