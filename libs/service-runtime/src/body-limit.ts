// The size limit of request bodies. Nest's default parsers are turned off (NestFactory.create with
// bodyParser: false) and registered again here with a limit, so every service has one, and a body
// over it is answered 413 with a JSON message instead of Express's HTML error page.
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** Express's own default, kept for services that do not choose one. */
export const DEFAULT_BODY_LIMIT = '100kb';

/** The JSON and urlencoded parsers Nest would have registered, each with `limit`, then the 413 answer. */
export function useBodyParsersWithLimit(app: INestApplication, limit: string): void {
  const express = app as NestExpressApplication;
  express.useBodyParser('json', { limit });
  express.useBodyParser('urlencoded', { limit, extended: true });
  app.use(payloadTooLargeAsJson(limit));
}

interface ParserError extends Error {
  type?: string;
}

/** Express error middleware: body-parser's `entity.too.large` becomes a 413 JSON answer; other errors pass on. */
export function payloadTooLargeAsJson(limit: string) {
  return (error: ParserError, req: Request, res: Response, next: NextFunction): void => {
    if (error?.type !== 'entity.too.large' || res.headersSent) return next(error);
    const answer = () => res.status(413).json({ statusCode: 413, message: `request body larger than ${limit}` });
    // The parser stopped reading at the limit: discard the rest of the body before answering (as
    // Express's final handler does), so the client finishes sending and reads the answer.
    req.unpipe();
    if (req.readableEnded) return void answer();
    req.once('end', answer);
    req.resume();
  };
}
