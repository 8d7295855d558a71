create table documents (id int auto_increment primary key, title varchar(100) not null, filename varchar(100) not null,
                        content_type varchar(100) not null, content varbinary(1000) not null, meta varchar(1000) not null);
