insert into products(name, stock) values ('apple', 10);
insert into products(name, stock) values ('pear', 5);
