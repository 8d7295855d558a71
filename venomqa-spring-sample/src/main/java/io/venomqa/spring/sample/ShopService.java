package io.venomqa.spring.sample;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.concurrent.CompletableFuture;

/** Orders take stock in one transaction; the audit entry is written in its own (REQUIRES_NEW). */
@Service
public class ShopService {

    /** Thrown when an order asks for more than the stock: the whole order is rolled back. */
    public static final class OutOfStock extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutOfStock(String message) {
            super(message);
        }
    }

    private final Repositories.Products products;
    private final Repositories.Orders orders;
    private final AuditLog audit;
    private final JdbcTemplate jdbc;

    public ShopService(Repositories.Products products, Repositories.Orders orders, AuditLog audit, JdbcTemplate jdbc) {
        this.products = products;
        this.orders = orders;
        this.audit = audit;
        this.jdbc = jdbc;
    }

    @Transactional
    public PurchaseOrder order(long productId, int quantity) {
        Product p = products.findById(productId).orElseThrow(() -> new IllegalArgumentException("no product " + productId));
        p.setStock(p.getStock() - quantity);
        products.saveAndFlush(p);
        PurchaseOrder o = orders.saveAndFlush(new PurchaseOrder(productId, quantity));
        audit.record("order " + o.getId() + ": " + quantity + " x " + p.getName());
        if (p.getStock() < 0) {
            throw new OutOfStock("only " + (p.getStock() + quantity) + " " + p.getName() + " left");
        }
        return o;
    }

    /** Written later, on another thread (Spring's task executor), through JdbcTemplate. */
    @Async
    public CompletableFuture<Long> notifyShipping(long orderId) {
        jdbc.update("insert into notifications(order_id, message) values (?, ?)", orderId, "ship order " + orderId);
        return CompletableFuture.completedFuture(orderId);
    }
}
