using DbOps.Runtime;
using Shop.Data;

// A small shop on the generated data access. SQLite by default (shop.db next to the app);
// eng/run-sample.sh passes a PostgreSQL connection string when asked to (see the README).
var connectionString = args.Length > 0 ? args[0] : "Data Source=shop.db";
await using var db = ShopDb.Create(connectionString);

// 1. Schema: apply the committed migrations (Migrations/*.sql, embedded at build time). Safe to run on every start.
var migration = await db.MigrateAsync();
Console.WriteLine($"migrations: {migration.AppliedScripts.Count} applied, {migration.AlreadyAppliedCount} already applied ({ShopDb.Provider})");

// A re-run of the sample starts from an empty shop.
await db.ResetForSampleAsync();

// 2. CRUD. Insert returns the row with its identity and database defaults filled in.
var ann = await db.Customers.InsertAsync(new Customer { Email = "ann@example.com", Name = "Ann" });
var bob = await db.Customers.InsertAsync(new Customer { Email = "bob@example.com", Name = "Bob", Phone = "+1 555 0100" });
Console.WriteLine($"inserted customers #{ann.Id} {ann.Name} and #{bob.Id} {bob.Name} (created {ann.CreatedAt:u})");

ann.Phone = "+44 20 7946 0000";
Console.WriteLine($"updated Ann: {await db.Customers.UpdateAsync(ann)}; by email: {(await db.Customers.GetByEmailAsync("ann@example.com"))?.Phone}");

// 3. Bulk load: one prepared statement in one transaction on SQLite, binary COPY on PostgreSQL.
var products = Enumerable.Range(1, 1000).Select(i => new Product { Sku = $"SKU-{i:0000}", Title = $"Product {i}", Price = 1.5m * i });
var loaded = await db.Products.InsertManyAsync(products);
Console.WriteLine($"bulk-loaded {loaded} products; {await db.Products.CountAsync()} in the catalogue");

// Bulk update: a 10% price rise on every product, streamed in one transaction (binary COPY into a temporary table and
// one UPDATE ... FROM on PostgreSQL, one prepared statement on SQLite).
var repriced = await db.Products.UpdateManyAsync(products.Select(p => { p.Price = Math.Round(p.Price * 1.1m, 2); return p; }));
Console.WriteLine($"bulk-updated {repriced} prices; SKU-0002 now costs {(await db.Products.GetAsync("SKU-0002"))!.Price}");

// 4. A transaction: an order and its lines commit together, or not at all.
var since = DateTimeOffset.UtcNow.AddMinutes(-1);
foreach (var (customer, skus) in new[] { (ann, new[] { "SKU-0001", "SKU-0002" }), (bob, new[] { "SKU-0003" }), (ann, new[] { "SKU-0010" }) })
{
    await db.InTransactionAsync(async tx =>
    {
        var total = 0m;
        foreach (var sku in skus) total += (await tx.Products.GetAsync(sku))!.Price;
        var order = await tx.Orders.InsertAsync(new Order { CustomerId = customer.Id, Total = total, PlacedAt = DateTimeOffset.UtcNow });
        var line = 1;
        foreach (var sku in skus)
            await tx.OrderLines.InsertAsync(new OrderLine { OrderId = order.Id, LineNo = line++, Sku = sku, Quantity = 1 });
    });
}

// 5. Relationship lookups: every foreign key and index prefix has a ListBy method, and a batch form that loads the
// children of many parents in one round trip (no N+1): grouped by parent in the order asked for.
var annOrders = await db.Orders.ListByCustomerIdAsync(ann.Id);
var linesByOrder = (await db.OrderLines.ListByOrderIdsAsync(annOrders.Select(o => o.Id))).ToLookup(l => l.OrderId);
foreach (var order in annOrders)
    Console.WriteLine($"Ann's order {order.Id} ({order.Status}): {linesByOrder[order.Id].Count()} line(s), total {order.Total}");
var both = await db.Customers.GetManyAsync([bob.Id, ann.Id, bob.Id]);
Console.WriteLine($"batch lookup by key: {string.Join(", ", both.Select(c => c.Name))}");

// 6. A failed transaction rolls back and rethrows the delegate's own exception.
try
{
    await db.InTransactionAsync(async tx =>
    {
        await tx.Customers.InsertAsync(new Customer { Email = "carol@example.com", Name = "Carol" });
        throw new InvalidOperationException("payment declined");
    });
}
catch (InvalidOperationException e)
{
    Console.WriteLine($"rolled back ({e.Message}): Carol exists = {await db.Customers.GetByEmailAsync("carol@example.com") is not null}");
}

// 7. Aggregation queries declared in dbops.yaml.
foreach (var row in await db.RevenueByCustomerAsync(since))
    Console.WriteLine($"revenue: {row.Name,-4} {row.Revenue,8:0.00} from {row.OrderCount} order(s)");
Console.WriteLine($"total revenue: {await db.TotalRevenueAsync():0.00}");

// 8. Validation runs before anything is sent, and lists every failed rule.
try
{
    await db.Customers.InsertAsync(new Customer { Email = "not-an-email", Name = "" });
}
catch (DbOpsValidationException e)
{
    Console.WriteLine($"validation failed as expected: {string.Join("; ", e.Failures.Select(f => f.Message))}");
}

// 9. Database constraints surface as typed exceptions naming the constraint.
try
{
    await db.Customers.InsertAsync(new Customer { Email = "ann@example.com", Name = "Ann again" });
}
catch (DbOpsUniqueViolationException e)
{
    Console.WriteLine($"unique violation as expected on {e.ConstraintName}");
}

Console.WriteLine("sample finished");

internal static class SampleExtensions
{
    /// <summary>Empties the sample's tables (children first) so every run starts the same.</summary>
    public static async Task ResetForSampleAsync(this ShopDb db)
    {
        await db.InTransactionAsync(async tx =>
        {
            foreach (var order in await tx.Orders.ListAsync(limit: 10_000)) await tx.Orders.DeleteAsync(order.Id); // lines cascade
            foreach (var product in await tx.Products.ListAsync(limit: 10_000)) await tx.Products.DeleteAsync(product.Sku);
            foreach (var customer in await tx.Customers.ListAsync(limit: 10_000)) await tx.Customers.DeleteAsync(customer.Id);
        });
    }
}
