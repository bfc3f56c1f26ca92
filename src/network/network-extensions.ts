/** One entry of `GET /v2.0/extensions`, as Neutron lists it. */
export interface NetworkExtension {
  alias: string;
  name: string;
  description: string;
  updated: string;
  links: never[];
}

const ext = (alias: string, name: string, description: string, updated: string): NetworkExtension => ({ alias, name, description, updated, links: [] });

/**
 * The Neutron extensions whose behaviour the built-in service implements; clients (Nova, the
 * openstack CLI) decide what to send by this list, so nothing is listed that is not served.
 */
export const NETWORK_EXTENSIONS: readonly NetworkExtension[] = [
  ext('binding', 'Port Binding', 'Expose port bindings of a virtual port to external application', '2014-02-03T10:00:00-00:00'),
  ext('binding-extended', 'Port Bindings Extended', 'Expose port bindings of a virtual port to external application', '2017-07-17T10:00:00-00:00'),
  ext('external-net', 'Neutron external network', 'Adds external network attribute to network resource.', '2013-01-14T10:00:00-00:00'),
  ext('net-mtu', 'Network MTU', 'Provides MTU attribute for a network resource.', '2015-03-25T10:00:00-00:00'),
  ext('project-id', 'project_id field enabled', 'Extension that indicates that project_id field is enabled.', '2016-09-09T09:09:09-09:09'),
  ext('standard-attr-description', 'standard-attr-description', 'Extension to add descriptions to standard attributes', '2016-02-10T10:00:00-00:00'),
  ext('standard-attr-revisions', 'Resource revision numbers', 'This extension will display the revision number of neutron resources.', '2016-04-11T10:00:00-00:00'),
  ext('standard-attr-timestamp', 'Resource timestamps', 'Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes.', '2016-09-12T10:00:00-00:00'),
  ext('standard-attr-tag', 'Tag support for resources with standard attribute: network, subnet, port', 'Enables to set tag on resources with standard attribute.', '2017-01-01T00:00:00-00:00'),
  ext('tag-ports-during-bulk-creation', 'Tag Ports During Bulk Creation', 'Allow to tag ports during bulk creation', '2019-12-29T19:00:00-00:00'),
  ext('filter-validation', 'Filter parameters validation', 'Provides validation on filter parameters.', '2018-07-04T10:00:00-00:00'),
  ext('empty-string-filtering', 'Empty String Filtering Extension', 'Allow filtering by attributes with empty string value', '2018-05-01T10:00:00-00:00'),
];
