/** The visitor API (`/chat/widget/…`) and the public widget data (`/chat/widget_data.json`): a website's pages call them. */
const VISITOR_PATH = /^\/chat\/(widget\/|widget_data\.json$)/;

export function isVisitorPath(path: string): boolean {
  return VISITOR_PATH.test(path);
}
