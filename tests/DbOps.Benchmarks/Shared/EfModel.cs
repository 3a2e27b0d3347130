using DbOps.Benchmarks.Data;
using Microsoft.EntityFrameworkCore;

namespace DbOps.Benchmarks;

/// <summary>EF Core maps the very same generated <see cref="Order"/> class onto the same table.</summary>
public sealed class BenchContext(DbContextOptions<BenchContext> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Order>(e =>
        {
            e.ToTable("orders");
            e.HasKey(o => o.Id).HasName("pk_orders");
            e.Property(o => o.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(o => o.CustomerId).HasColumnName("customer_id");
            e.Property(o => o.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(64);
            e.Property(o => o.Total).HasColumnName("total").HasPrecision(12, 2);
            e.Property(o => o.PlacedAt).HasColumnName("placed_at");
        });
    }
}
