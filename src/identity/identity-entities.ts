/** A Keystone domain; Tessera has only the `Default` one. */
export interface Domain {
  id: string;
  name: string;
}

/** A user, as the token body shows it. */
export interface User {
  id: string;
  name: string;
  domain: Domain;
  /** The project a token is scoped to when the request names none. */
  defaultProjectId: string;
}

/** A project (tenant); its id is the `project_id` of everything the user creates. */
export interface Project {
  id: string;
  name: string;
  domain: Domain;
}

export interface Role {
  id: string;
  name: string;
}

/** How a request names a user, project or domain: by id, or by name (within a domain). */
export interface EntityRef {
  id?: string | undefined;
  name?: string | undefined;
  domain?: { id?: string | undefined; name?: string | undefined } | undefined;
}
