/**
 * The paths of the CRM chat module (`/chat/*.json`) and of the public widget and visitor API that
 * share its prefix (`/chat/widget_data.json`, `/chat/widget/*`). Everything under it, even a 404 or
 * a 405, answers in the CRM format.
 */
const CRM_PATH = /^\/chat(\/|$)/;

export function isCrmPath(path: string): boolean {
  return CRM_PATH.test(path);
}
