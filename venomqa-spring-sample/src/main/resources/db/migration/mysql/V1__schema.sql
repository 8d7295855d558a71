create table products (id bigint auto_increment primary key, name varchar(100) not null, stock int not null) engine=InnoDB;
create table orders (id bigint auto_increment primary key, product_id bigint not null, quantity int not null,
  foreign key (product_id) references products(id)) engine=InnoDB;
create table audit_log (id bigint auto_increment primary key, message varchar(200) not null) engine=InnoDB;
create table notifications (id bigint auto_increment primary key, order_id bigint not null, message varchar(200) not null) engine=InnoDB;
