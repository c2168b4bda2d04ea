/**
 * AWS commercial regions the model knows, with the local time zone and the public-holiday
 * calendar (ISO 3166 country, optionally `-STATE`) of the city each region is named after.
 * Kept as data here because the model must not import aws-cdk-lib's region-info.
 *
 * Regions and partitions: https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 * Opt-in regions (disabled by default, enabled per account) are commercial regions like any other
 * here: https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html
 */
import { closestName } from './did-you-mean';
import { valueText } from './value-text';

export interface RegionInfo {
  readonly name: string;
  readonly location: string;
  readonly timeZone: string;
  readonly holidayCountry: string;
}

const TABLE: ReadonlyArray<[string, string, string, string]> = [
  ['us-east-1', 'N. Virginia', 'America/New_York', 'US-VA'],
  ['us-east-2', 'Ohio', 'America/New_York', 'US-OH'],
  ['us-west-1', 'N. California', 'America/Los_Angeles', 'US-CA'],
  ['us-west-2', 'Oregon', 'America/Los_Angeles', 'US-OR'],
  ['af-south-1', 'Cape Town', 'Africa/Johannesburg', 'ZA'],
  ['ap-east-1', 'Hong Kong', 'Asia/Hong_Kong', 'HK'],
  ['ap-east-2', 'Taipei', 'Asia/Taipei', 'TW'],
  ['ap-south-1', 'Mumbai', 'Asia/Kolkata', 'IN'],
  ['ap-south-2', 'Hyderabad', 'Asia/Kolkata', 'IN'],
  ['ap-southeast-1', 'Singapore', 'Asia/Singapore', 'SG'],
  ['ap-southeast-2', 'Sydney', 'Australia/Sydney', 'AU-NSW'],
  ['ap-southeast-3', 'Jakarta', 'Asia/Jakarta', 'ID'],
  ['ap-southeast-4', 'Melbourne', 'Australia/Melbourne', 'AU-VIC'],
  ['ap-southeast-5', 'Malaysia', 'Asia/Kuala_Lumpur', 'MY'],
  ['ap-southeast-6', 'New Zealand', 'Pacific/Auckland', 'NZ'],
  ['ap-southeast-7', 'Thailand', 'Asia/Bangkok', 'TH'],
  ['ap-northeast-1', 'Tokyo', 'Asia/Tokyo', 'JP'],
  ['ap-northeast-2', 'Seoul', 'Asia/Seoul', 'KR'],
  ['ap-northeast-3', 'Osaka', 'Asia/Tokyo', 'JP'],
  ['ca-central-1', 'Canada Central', 'America/Toronto', 'CA-QC'],
  ['ca-west-1', 'Calgary', 'America/Edmonton', 'CA-AB'],
  ['eu-central-1', 'Frankfurt', 'Europe/Berlin', 'DE-HE'],
  ['eu-central-2', 'Zurich', 'Europe/Zurich', 'CH-ZH'],
  ['eu-west-1', 'Ireland', 'Europe/Dublin', 'IE'],
  ['eu-west-2', 'London', 'Europe/London', 'GB-ENG'],
  ['eu-west-3', 'Paris', 'Europe/Paris', 'FR'],
  ['eu-south-1', 'Milan', 'Europe/Rome', 'IT'],
  ['eu-south-2', 'Spain', 'Europe/Madrid', 'ES-AR'],
  ['eu-north-1', 'Stockholm', 'Europe/Stockholm', 'SE'],
  ['il-central-1', 'Tel Aviv', 'Asia/Jerusalem', 'IL'],
  ['me-south-1', 'Bahrain', 'Asia/Bahrain', 'BH'],
  ['me-central-1', 'UAE', 'Asia/Dubai', 'AE'],
  ['mx-central-1', 'Mexico', 'America/Mexico_City', 'MX'],
  ['sa-east-1', 'Sao Paulo', 'America/Sao_Paulo', 'BR-SP'],
];

const REGIONS: ReadonlyMap<string, RegionInfo> = new Map(
  TABLE.map(([name, location, timeZone, holidayCountry]) => [name, { name, location, timeZone, holidayCountry }]),
);

/** Every region name the model knows, in table order. */
export function knownRegions(): string[] {
  return [...REGIONS.keys()];
}

/** Facts about a region, or `undefined` when it is not an AWS commercial region. */
export function regionInfo(region: string): RegionInfo | undefined {
  return REGIONS.get(region);
}

/**
 * Partitions other than `aws`: their regions are real, but a pipeline in the commercial partition
 * cannot deploy to them (separate accounts, separate IAM), and this library supports only `aws` so far.
 */
const OTHER_PARTITIONS: ReadonlyArray<{ pattern: RegExp; partition: string; name: string }> = [
  { pattern: /^us-gov-(east|west)-\d+$/, partition: 'aws-us-gov', name: 'AWS GovCloud (US)' },
  { pattern: /^cn-(north|northwest)-\d+$/, partition: 'aws-cn', name: 'AWS China' },
  { pattern: /^us-iso-[a-z]+-\d+$/, partition: 'aws-iso', name: 'AWS ISO (US)' },
  { pattern: /^us-isob-[a-z]+-\d+$/, partition: 'aws-iso-b', name: 'AWS ISOB (US)' },
  { pattern: /^eu-isoe-[a-z]+-\d+$/, partition: 'aws-iso-e', name: 'AWS ISOE (Europe)' },
  { pattern: /^us-isof-[a-z]+-\d+$/, partition: 'aws-iso-f', name: 'AWS ISOF' },
  { pattern: /^eusc-[a-z]+-[a-z]+-\d+$/, partition: 'aws-eusc', name: 'AWS European Sovereign Cloud' },
];

/**
 * Commercial regions AWS has announced (aws-cdk-lib's region table lists them) whose location this
 * version does not know, so it has no time zone or holiday calendar to default a window to.
 */
const REGIONS_WITHOUT_LOCAL_FACTS: readonly string[] = ['me-west-1'];

/** Commercial regions named by AWS that the model cannot deploy to yet (no local facts). */
export function regionsWithoutLocalFacts(): string[] {
  return [...REGIONS_WITHOUT_LOCAL_FACTS];
}

/** The partition of a region outside `aws`, e.g. GovCloud for `us-gov-west-1`; `undefined` otherwise. */
export function otherPartition(region: string): { partition: string; name: string } | undefined {
  return OTHER_PARTITIONS.find((p) => p.pattern.test(region));
}

/**
 * Why `region` cannot be deployed to, with the fix, or `undefined` when it is a commercial region
 * the model knows.
 */
export function regionProblem(region: string): string | undefined {
  if (regionInfo(region)) return undefined;
  const shown = valueText(region);
  const other = otherPartition(region);
  if (other) {
    return `${shown} is an ${other.name} region (partition ${other.partition}); cdk-wave-pipelines supports only the commercial partition (aws) so far: deploy it from a pipeline of its own partition, or remove it`;
  }
  if (REGIONS_WITHOUT_LOCAL_FACTS.includes(region)) {
    return `${shown} is an AWS region this version of cdk-wave-pipelines does not support yet (it knows no local time zone or holiday calendar for it): deploy it from another pipeline, or upgrade cdk-wave-pipelines`;
  }
  const suggestion = suggestRegion(region);
  return `${shown} is not an AWS region${suggestion ? `; did you mean "${suggestion}"?` : '; use a region name such as "us-east-1" (see `aws ec2 describe-regions --all-regions`)'}`;
}

/** The known region closest to a misspelt name (edit distance), for "did you mean" messages. */
export function suggestRegion(region: string): string | undefined {
  return closestName(region, REGIONS.keys(), Math.max(3, Math.floor(region.length / 3)));
}
