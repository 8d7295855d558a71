package io.venomqa.spring.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.multipart.MultipartFile;

import java.io.IOException;
import java.security.Principal;
import java.util.Map;

/**
 * A Spring Boot application as a team secures it for a browser front end: a form login (in-memory user), double-submit
 * CSRF protection ({@code CookieCsrfTokenRepository}, the token rendered into the {@code XSRF-TOKEN} cookie on every
 * request, Spring Security's recipe for single-page applications), and a document upload stored in its database.
 */
@SpringBootApplication
@RestController
public class SecuredApp {

    static final String PASSWORD = "Form-Secret-99";

    private final JdbcTemplate jdbc;

    public SecuredApp(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(a -> a.requestMatchers("/login", "/error").permitAll().anyRequest().authenticated())
                .formLogin(f -> f.defaultSuccessUrl("/me", true))
                .csrf(c -> c.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler()))
                .addFilterAfter(new OncePerRequestFilter() {
                    @Override
                    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                            throws ServletException, IOException {
                        if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
                            token.getToken(); // Spring Security defers the token: reading it writes the cookie
                        }
                        chain.doFilter(request, response);
                    }
                }, BasicAuthenticationFilter.class)
                .build();
    }

    @Bean
    InMemoryUserDetailsManager users() {
        return new InMemoryUserDetailsManager(User.withUsername("qa").password("{noop}" + PASSWORD).roles("USER").build());
    }

    @GetMapping("/me")
    Map<String, Object> me(Principal user) {
        return Map.of("user", user.getName());
    }

    @PostMapping(value = "/documents", consumes = "multipart/form-data")
    Map<String, Object> upload(@RequestParam String title, @RequestPart("meta") Map<String, Object> meta,
                               @RequestParam MultipartFile file) throws IOException {
        jdbc.update("insert into documents (title, filename, content_type, content, meta) values (?, ?, ?, ?, ?)", title,
                file.getOriginalFilename(), file.getContentType(), file.getBytes(), meta.toString());
        return Map.of("documents", count());
    }

    @GetMapping("/documents/count")
    Map<String, Object> documents() {
        return Map.of("documents", count());
    }

    private long count() {
        return jdbc.queryForObject("select count(*) from documents", Long.class);
    }
}
