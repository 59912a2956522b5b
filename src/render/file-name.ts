import { DateTime } from 'luxon';

const TIMESTAMP_FORMATS: Record<string, string> = {
  'yyyy-MM-dd': 'yyyy-MM-dd',
  'yyyy-MM-dd_HH-mm': 'yyyy-MM-dd_HH-mm',
  yyyyMMdd: 'yyyyMMdd',
  'yyyyMMdd_HH-mm': 'yyyyMMdd_HH-mm',
};

/** `<fileName or task name>[_<timestamp in the task's zone>].<ext>`, safe for e-mail attachments and SharePoint. */
export function reportFileName(options: {
  baseName: string;
  fileTimeStamp?: string;
  timezone: string;
  at: Date;
  extension: string;
}): string {
  const safe = options.baseName.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').trim().slice(0, 120) || 'report';
  const pattern = options.fileTimeStamp ? TIMESTAMP_FORMATS[options.fileTimeStamp] : undefined;
  const stamp = pattern ? `_${DateTime.fromJSDate(options.at, { zone: options.timezone }).toFormat(pattern)}` : '';
  return `${safe}${stamp}.${options.extension}`;
}
