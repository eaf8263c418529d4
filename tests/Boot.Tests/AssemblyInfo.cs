// Two QEMU guests under TCG on a 2-core machine each run at half speed and stall more often
// (BOOT-TESTING.md): the boot scenarios run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
