import { SharePointDeliveryError } from './graph-errors';

/**
 * A task's `sharePointFolder` as path segments from the root of the configured drive (document
 * library). '/' and '\' both separate segments, and leading, trailing or repeated separators do not
 * count: "Reports/Sales", "/Reports/Sales/" and "Reports\Sales" name one folder, "" and "/" the
 * drive root. The library's own name is not part of the path: with `driveId` naming the "Shared
 * Documents" library, "/Shared Documents/Reports" is a folder "Shared Documents" inside it.
 */
export function folderSegments(folder: string): string[] {
  const segments = folder.split(/[/\\]+/).filter((segment) => segment !== '');
  if (segments.some(isRelativeStep)) {
    throw new SharePointDeliveryError('INVALID_SHAREPOINT_DIRECTORY', `SharePoint folder "${folder}" may not contain "." or ".." segments`, true);
  }
  return segments;
}

export function checkedFileName(fileName: string): string {
  if (fileName === '' || isRelativeStep(fileName) || /[/\\]/.test(fileName)) {
    throw new SharePointDeliveryError('GENERIC_FILE_UPLOAD_ERROR', `"${fileName}" is not a file name`, true);
  }
  return fileName;
}

function isRelativeStep(segment: string): boolean {
  return segment === '.' || segment === '..';
}

/**
 * Graph's path-based address of an item, `root` or `root:/a/b`. Every segment is percent-encoded, so
 * '#', '?', '%', ':' and spaces in names stay part of the name instead of ending the path.
 */
export function rootRelative(segments: string[]): string {
  return segments.length === 0 ? 'root' : `root:/${segments.map(encodeURIComponent).join('/')}`;
}

export function displayPath(segments: string[]): string {
  return `/${segments.join('/')}`;
}
