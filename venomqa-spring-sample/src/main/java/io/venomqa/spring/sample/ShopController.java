package io.venomqa.spring.sample;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The shop's HTTP API: products, orders (through {@link ShopService}), counts read in one transaction, and a
 * request built to wait on the shared connection. Error responses are JSON with an {@code error} field.
 */
@RestController
public class ShopController {

    private final Repositories.Products products;
    private final Repositories.Orders orders;
    private final Repositories.Audit audit;
    private final ShopService shop;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public ShopController(Repositories.Products products, Repositories.Orders orders, Repositories.Audit audit,
                          ShopService shop, JdbcTemplate jdbc, TransactionTemplate tx) {
        this.products = products;
        this.orders = orders;
        this.audit = audit;
        this.shop = shop;
        this.jdbc = jdbc;
        this.tx = tx;
    }

    public record NewProduct(String name, int stock) {
    }

    public record NewOrder(long productId, int quantity) {
    }

    @PostMapping("/products")
    public ResponseEntity<Map<String, Object>> addProduct(@RequestBody NewProduct body) {
        Product p = products.save(new Product(body.name(), body.stock()));
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", p.getId(), "name", p.getName(), "stock", p.getStock()));
    }

    @GetMapping("/products/{id}")
    public ResponseEntity<Map<String, Object>> product(@PathVariable long id) {
        return products.findById(id)
                .map(p -> ResponseEntity.ok(Map.<String, Object>of("id", p.getId(), "name", p.getName(), "stock", p.getStock())))
                .orElse(ResponseEntity.notFound().build());
    }

    @PostMapping("/orders")
    public ResponseEntity<Map<String, Object>> order(@RequestBody NewOrder body) {
        PurchaseOrder o = shop.order(body.productId(), body.quantity());
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", o.getId(), "quantity", o.getQuantity()));
    }

    /** An order whose shipping notice the @Async writer writes later, after the response. */
    @PostMapping("/orders/shipped")
    public ResponseEntity<Map<String, Object>> orderAndShip(@RequestBody NewOrder body) {
        PurchaseOrder o = shop.order(body.productId(), body.quantity());
        shop.notifyShipping(o.getId());
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", o.getId()));
    }

    /** Counts read in one transaction: a request never sees another's order half done. */
    @GetMapping("/stats")
    public Map<String, Object> stats() {
        return tx.execute(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("products", products.count());
            m.put("orders", orders.count());
            m.put("audit", audit.count());
            m.put("stock", products.totalStock());
            m.put("ordered", orders.totalOrdered());
            m.put("notifications", jdbc.queryForObject("select count(*) from notifications", Long.class));
            return m;
        });
    }

    /**
     * Writes, then, still inside its transaction, waits for another thread that needs the database too:
     * a deadlock by design, which VenomQA's shared connection must end with an error naming this thread.
     */
    @PostMapping("/deadlock")
    public Map<String, Object> deadlock() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor(r -> new Thread(r, "sample-other-writer"));
        try {
            return tx.execute(s -> {
                jdbc.update("insert into audit_log(message) values ('deadlock holder')");
                Future<?> f = other.submit(() -> jdbc.update("insert into audit_log(message) values ('other')"));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("holder", Thread.currentThread().getName());
                try {
                    f.get(60, TimeUnit.SECONDS);
                    m.put("error", null);
                } catch (Exception e) {
                    Throwable t = e;
                    while (t.getCause() != null) {
                        t = t.getCause();
                    }
                    m.put("error", t.getMessage());
                }
                return m;
            });
        } finally {
            other.shutdownNow();
        }
    }

    @ExceptionHandler(ShopService.OutOfStock.class)
    public ResponseEntity<Map<String, Object>> outOfStock(ShopService.OutOfStock e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage()));
    }
}
