insert into products (name, stock) values ('melon', 5);
