using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Collection;

/// <summary>Two app nodes opening the same period, with the first one's insert held open while the second runs.</summary>
[Collection(nameof(AppsCollection))]
public sealed class TaskOpeningRaceTests(Apps apps)
{
    /// <summary>
    /// Node A has inserted the period's tasks but not committed when node B opens the same period. On PostgreSQL B's
    /// insert meets A's uncommitted rows in the unique form × period × unit index and waits for A (the test sees it
    /// waiting on A's transaction before A commits); when A commits, <c>ON CONFLICT DO NOTHING</c> lets B skip them.
    /// Without it B fails with a unique violation; without the index B makes every task again. On SQLite A's open
    /// transaction holds the file's write lock, so B waits in the driver (not observable) and then meets A's committed
    /// rows: the same clause is what keeps B from failing there.
    /// </summary>
    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_node_opening_a_period_while_another_nodes_opening_is_uncommitted_waits_and_makes_no_task_twice(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        // Started before the form exists, so its start-up opening does not touch it.
        await using var nodeB = await OneFormHost.StartOnAsync(app.Database);
        var form = await AdmitTestFormAsync(app);
        try
        {
            var villages = await app.WithDbAsync(db => db.OrgUnits.CountAsync(u => u.Level == OrgUnitLevel.Village));
            var period = TaskOpener.PeriodFor(form, new DateOnly(2026, 2, 15));

            await using var scopeA = app.Services.CreateAsyncScope();
            var dbA = scopeA.ServiceProvider.GetRequiredService<OneFormDbContext>();
            int openedByA;
            await using (var held = await dbA.Database.BeginTransactionAsync())
            {
                openedByA = await scopeA.ServiceProvider.GetRequiredService<TaskOpener>().OpenAsync(form, period);

                // On a thread of its own: SQLite's driver waits for the write lock synchronously, inside the call.
                var openingB = Task.Run(() => OpenAsync(nodeB, form, period));
                await LockWaits.UntilWaitingAsync(app, "transactionid", openingB);
                Assert.False(openingB.IsCompleted && provider == DatabaseProvider.Postgres, "node B did not wait for node A's uncommitted tasks");
                await held.CommitAsync();

                var openedByB = await openingB;  // no error

                Assert.Equal((villages, 0), (openedByA, openedByB));
            }
            var tasks = await app.WithDbAsync(db => db.FillingTasks.Where(t => t.FormId == form.Id)
                .GroupBy(t => t.OrgUnitId).Select(g => g.Count()).ToListAsync());
            Assert.Equal(villages, tasks.Count);
            Assert.All(tasks, count => Assert.Equal(1, count));
        }
        finally
        {
            await app.WithDbAsync(async db =>
            {
                await db.FillingTasks.Where(t => t.FormId == form.Id).ExecuteDeleteAsync();
                db.Forms.Remove(await db.Forms.SingleAsync(f => f.Id == form.Id));
                return await db.SaveChangesAsync();
            });
        }
    }

    private static async Task<int> OpenAsync(OneFormHost node, Form form, Period period)
    {
        await using var scope = node.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TaskOpener>().OpenAsync(form, period);
    }

    /// <summary>A quarterly form for every village, in force only in the first half of 2026, so no opening of today's periods touches it.</summary>
    private static async Task<Form> AdmitTestFormAsync(OneFormHost app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneFormDbContext>();
        var element = await db.DataElements.FirstAsync();
        var form = new Form
        {
            Code = $"T-{Guid.NewGuid().ToString("N")[..8]}",
            Name = "测试并发开期表",
            Category = FormCategory.Development,
            Cycle = ReportingCycle.Quarterly,
            IssuingDepartmentId = await db.Departments.Select(d => d.Id).FirstAsync(),
            Designer = "测试",
            Status = FormStatus.Admitted,
            AdmissionCode = "TEST",
            ValidFrom = new DateOnly(2026, 1, 1),
            ValidTo = new DateOnly(2026, 6, 30),
            DeadlineDays = 7,
            TargetLevels = "Village",
            Sections = [new FormSection { Order = 1, Title = "一", Fields = [new FormField { Order = 1, DataElementId = element.Id }] }],
        };
        db.Forms.Add(form);
        await db.SaveChangesAsync();
        return form;
    }
}
