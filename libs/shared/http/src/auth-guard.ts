import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { allows, type Permission } from '@mandate/kernel';
import { ALL_CITIES, narrowCityScope } from '@mandate/runtime';
import { PERMISSION, PUBLIC, type RequestActor } from './auth';
import type { Authenticator } from './identity';
import { HttpProblem } from './problem.filter';

/**
 * Every request needs a valid bearer token, except routes marked @Public() (health), and the
 * permission its route declares (@Requires) for the caller's role. The request's database scope is
 * then narrowed to the caller's city.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; actor?: RequestActor; ip?: string }>();
    if (!request.actor) {
      // Not yet verified by authenticateMiddleware.
      const header = request.headers.authorization ?? '';
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new HttpProblem(401, 'missing-token', 'Send Authorization: Bearer <token>');
      request.actor = await this.authenticator.authenticate(match[1], request.ip);
    }
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION, [context.getHandler(), context.getClass()]);
    if (!permission) throw new HttpProblem(403, 'permission-undeclared', 'This route declares no permission, so nobody may use it');
    if (!allows(request.actor.role, permission))
      throw new HttpProblem(403, 'permission-denied', `The role "${request.actor.role}" may not use this route (${permission})`);
    // From here on the database shows this request its city's rows only (row-level security); the
    // platform operator's routes are the ones meant to see every city.
    narrowCityScope(request.actor.role === 'operator' ? ALL_CITIES : request.actor.cityId);
    return true;
  }
}
