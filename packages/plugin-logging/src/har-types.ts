/** HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), the parts sess writes. */
export interface Har {
  log: HarLog;
}
export interface HarLog {
  version: '1.2';
  creator: { name: string; version: string; comment?: string };
  entries: HarEntry[];
  comment?: string;
}
export interface HarNameValue {
  name: string;
  value: string;
  comment?: string;
}
export interface HarCookie {
  name: string;
  value: string;
  path?: string;
  domain?: string;
  expires?: string;
  httpOnly?: boolean;
  secure?: boolean;
  comment?: string;
}
export interface HarPostData {
  mimeType: string;
  text?: string;
  params?: HarNameValue[];
  comment?: string;
}
export interface HarRequest {
  method: string;
  url: string;
  httpVersion: string;
  cookies: HarCookie[];
  headers: HarNameValue[];
  queryString: HarNameValue[];
  postData?: HarPostData;
  headersSize: number;
  bodySize: number;
  comment?: string;
}
export interface HarContent {
  size: number;
  compression?: number;
  mimeType: string;
  text?: string;
  encoding?: string;
  comment?: string;
}
export interface HarResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  cookies: HarCookie[];
  headers: HarNameValue[];
  content: HarContent;
  redirectURL: string;
  headersSize: number;
  bodySize: number;
  comment?: string;
}
/** Milliseconds; -1 where a phase does not apply or is unknown. */
export interface HarTimings {
  blocked?: number;
  dns?: number;
  connect?: number;
  send: number;
  wait: number;
  receive: number;
  ssl?: number;
  comment?: string;
}
export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: HarRequest;
  response: HarResponse;
  cache: Record<string, never>;
  timings: HarTimings;
  serverIPAddress?: string;
  connection?: string;
  comment?: string;
}
