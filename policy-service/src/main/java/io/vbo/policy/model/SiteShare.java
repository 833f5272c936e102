package io.vbo.policy.model;

/**
 * What a site member is decided within (docs/sites.md): the site's uplink, shared by its K concurrent calls.
 *
 * @param site        the site
 * @param capacityBps the site's capacity (declared uplink, or the estimate of its most recently measured phone),
 *                    {@code null} while neither is known (the member's own estimate then decides)
 * @param calls       K
 * @param basis       where capacity and K come from, for the decision's reason
 */
public record SiteShare(String site, Long capacityBps, int calls, String basis) {
}
