import { RequestMethod, type DynamicModule, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { Permission } from '@mandate/kernel';
import { PERMISSION, PUBLIC } from './auth';

/** A route as the permission matrix sees it: method, path (`:params` kept), and what it needs. */
export type RouteDeclaration = { method: string; path: string; permission: Permission | 'public' | null; controller: string; handler: string };

const join = (...parts: string[]) =>
  `/${parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/')}`;

/** Every route of these controllers, read from their decorators (so a new route cannot be missed). */
export const routesOf = (controllers: readonly Type[]): RouteDeclaration[] =>
  controllers.flatMap((controller) => {
    const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
    const classPublic = Reflect.getMetadata(PUBLIC, controller) === true;
    const classPermission = Reflect.getMetadata(PERMISSION, controller) as Permission | undefined;
    return Object.getOwnPropertyNames(controller.prototype).flatMap((name) => {
      const handler = (controller.prototype as Record<string, unknown>)[name];
      if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) return [];
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const isPublic = classPublic || Reflect.getMetadata(PUBLIC, handler) === true;
      const permission = (Reflect.getMetadata(PERMISSION, handler) as Permission | undefined) ?? classPermission ?? null;
      return [
        {
          method,
          path: join(base, Reflect.getMetadata(PATH_METADATA, handler) as string),
          permission: isPublic ? 'public' : permission,
          controller: controller.name,
          handler: name,
        },
      ];
    });
  });

/** The controllers of service modules, for `routesOf`. */
export const controllersOf = (modules: readonly DynamicModule[]): Type[] => modules.flatMap((m) => (m.controllers ?? []) as Type[]);
