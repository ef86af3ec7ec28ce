/** Regions where supply sits, grouped by continent for the market filter. */
export const REGIONS = [
  { id: 'us-east', name: 'US East (Virginia)', continent: 'North America' },
  { id: 'us-central', name: 'US Central (Texas)', continent: 'North America' },
  { id: 'us-west', name: 'US West (Oregon)', continent: 'North America' },
  { id: 'ca-central', name: 'Canada (Quebec)', continent: 'North America' },
  { id: 'sa-east', name: 'Brazil (São Paulo)', continent: 'South America' },
  { id: 'eu-west', name: 'EU West (Ireland)', continent: 'Europe' },
  { id: 'eu-central', name: 'EU Central (Frankfurt)', continent: 'Europe' },
  { id: 'eu-north', name: 'EU North (Finland)', continent: 'Europe' },
  { id: 'uk-south', name: 'UK (London)', continent: 'Europe' },
  { id: 'ap-northeast', name: 'Japan (Tokyo)', continent: 'Asia' },
  { id: 'ap-southeast', name: 'Singapore', continent: 'Asia' },
  { id: 'ap-south', name: 'India (Mumbai)', continent: 'Asia' },
  { id: 'oc-southeast', name: 'Australia (Sydney)', continent: 'Oceania' },
  { id: 'af-south', name: 'South Africa (Johannesburg)', continent: 'Africa' },
] as const;

export type RegionId = (typeof REGIONS)[number]['id'];
export const REGION_IDS = REGIONS.map((r) => r.id) as [RegionId, ...RegionId[]];

const byId = new Map<string, (typeof REGIONS)[number]>(REGIONS.map((r) => [r.id, r]));

export function regionName(id: string): string {
  return byId.get(id)?.name ?? id;
}
