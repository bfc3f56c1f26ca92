/**
 * One network interface asked for at boot (Nova's `NetworkRequest`), after the API resolved
 * `auto`: either a network to create a port on, or a port the user made, never both. The API
 * keeps the list in the request spec; the compute allocates it on the host it builds on.
 */
export interface RequestedNetwork {
  /** The network to create the instance's port on; null when `port_id` is given. */
  network_id: string | null;
  /** A port the user created; it is bound to the instance and only unbound when it leaves. */
  port_id: string | null;
  /** The address asked for on `network_id`, if any. */
  fixed_ip: string | null;
  /** The device tag (2.32, 2.42+), recorded on the virtual interface. */
  tag: string | null;
}
