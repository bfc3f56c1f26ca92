/** Whose eyes a read is made for: admins see everything, others their project's and shared resources. */
export interface NetworkViewer {
  projectId: string;
  isAdmin: boolean;
}
