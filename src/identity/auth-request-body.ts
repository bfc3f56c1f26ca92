import { Type, type Static } from '@sinclair/typebox';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Name = Type.String({ minLength: 1, maxLength: 255 });
const DomainRef = Type.Object({ id: Type.Optional(Id), name: Type.Optional(Name) });

const PasswordUser = Type.Object({
  id: Type.Optional(Id),
  name: Type.Optional(Name),
  domain: Type.Optional(DomainRef),
  password: Type.String({ maxLength: 4096 }),
});

const ProjectRef = Type.Object({
  id: Type.Optional(Id),
  name: Type.Optional(Name),
  domain: Type.Optional(DomainRef),
});

/**
 * The body of `POST /identity/v3/auth/tokens`, as keystoneauth sends it for the `password` and
 * `token` methods. Only project scope is supported, so other scopes (domain, system) are refused
 * as unexpected properties.
 *
 * @example
 * {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin",
 *   "domain": {"name": "Default"}, "password": "..."}}},
 *   "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}}
 */
export const AuthRequestBody = Type.Object({
  auth: Type.Object({
    identity: Type.Object({
      methods: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 8 }),
      password: Type.Optional(Type.Object({ user: PasswordUser })),
      token: Type.Optional(Type.Object({ id: Type.String({ minLength: 1, maxLength: 8192 }) })),
    }),
    scope: Type.Optional(Type.Object({ project: Type.Optional(ProjectRef) }, { additionalProperties: false })),
  }),
});

export type AuthRequestBody = Static<typeof AuthRequestBody>;

/** The `auth` part of the body: what `TokenService.issue` takes. */
export type AuthRequest = AuthRequestBody['auth'];
