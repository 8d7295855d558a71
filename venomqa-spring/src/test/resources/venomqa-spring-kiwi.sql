insert into products (name, stock) values ('kiwi', 7);
