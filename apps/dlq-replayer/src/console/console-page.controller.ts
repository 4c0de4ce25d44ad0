// Serves the operations console: one HTML page, a script and a stylesheet, written by hand (no build
// step). The page asks for the API token and calls the token-protected APIs; the files hold no secret.
import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ASSETS: Record<string, string> = {
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
};

@ApiExcludeController()
@Controller()
export class ConsolePageController {
  private readonly publicDir = join(__dirname, 'public');

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-cache')
  page(): string {
    return readFileSync(join(this.publicDir, 'index.html'), 'utf8');
  }

  @Get('console/assets/:file')
  @Header('cache-control', 'no-cache')
  asset(@Param('file') file: string, @Res() reply: FastifyReply): void {
    const type = ASSETS[file];
    if (!type) throw new NotFoundException(`no console asset ${file}`);
    void reply.type(type).send(readFileSync(join(this.publicDir, file), 'utf8'));
  }
}
