package io.vbo.probe.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetTest {
    private final Budget budget = new Budget();
    private final List<Budget.Uplink> pbx = List.of(new Budget.Uplink("pbx-1", 344_000));
    private final List<Budget.Uplink> site = List.of(new Budget.Uplink("pbx-1", 344_000),
            new Budget.Uplink("pbx-1/branch", 100_000));

    @Test
    void probesFitWhileTheirPeaksAddUpToTheBudget() {
        for (int i = 0; i < 5; i++) {
            assertTrue(budget.fits(pbx, 68_800), "probe " + (i + 1));
            budget.reserve(pbx, 68_800);
        }
        assertFalse(budget.fits(pbx, 68_800), "a sixth would exceed 344 kbit/s");
        budget.release(pbx, 68_800);
        assertTrue(budget.fits(pbx, 68_800));
    }

    @Test
    void aProbeAboveTheBudgetRunsAloneAndBlocksTheRest() {
        assertTrue(budget.fits(pbx, Long.MAX_VALUE), "an idle uplink takes any probe");
        budget.reserve(pbx, Long.MAX_VALUE);
        assertFalse(budget.fits(pbx, 1));
        budget.release(pbx, Long.MAX_VALUE);
        budget.reserve(pbx, 68_800);
        assertFalse(budget.fits(pbx, Long.MAX_VALUE), "TCP waits for an idle uplink");
        assertTrue(budget.fits(pbx, 275_200), "TCP's reservation was given back whole");
    }

    @Test
    void aSiteProbeCountsOnTheSitesBudgetAndThePbxs() {
        budget.reserve(site, 68_800);
        assertFalse(budget.fits(site, 68_800), "the site's 100 kbit/s holds one");
        assertTrue(budget.fits(pbx, 68_800), "the PBX has room for a phone elsewhere");
        assertTrue(budget.fits(pbx, 275_200), "the site's probe holds 68.8 of the PBX's 344 kbit/s");
        assertFalse(budget.fits(pbx, 275_201));
    }
}
